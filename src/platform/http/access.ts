import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import { LRUCache } from 'lru-cache';
import { can, PERMISSIONS, type Permission } from '../access/policy.js';
import type { AuditService } from '../audit/service.js';
import { KEPT_FORM_MS, type KeptForms } from '../auth/kept-forms.js';
import type { SessionStore } from '../auth/sessions.js';
import type { Csrf } from './csrf.js';
import { keptValues, typedValues } from './forms.js';
import { layoutFor, pageText } from './errors.js';
import { isApiRequest, onProfessionalSide } from './surfaces.js';
import type { RouteAccess } from './types.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import { toActor } from '../access/users.js';
import { RECORD_ID } from '../db/ids.js';

const ROUTE_ACCESS_VALUES: readonly string[] = ['public', 'anonymous', 'password-stage', ...PERMISSIONS];

export interface SessionCookie {
  readonly name: string;
  /** The cookie pointing to a form kept across sign-in; it shares the session cookie's options. */
  readonly keptFormName: string;
  readonly options: { path: string; httpOnly: true; secure: boolean; sameSite: 'lax' };
}

export function sessionCookie(secure: boolean): SessionCookie {
  // __Secure- tells the browser never to accept this cookie over plain http. Path /app: public pages never see it.
  return { name: secure ? '__Secure-session' : 'session', keptFormName: secure ? '__Secure-kept_form' : 'kept_form', options: { path: '/app', httpOnly: true, secure, sameSite: 'lax' } };
}

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
  /** A public form taken without a form token (config.changesNothing). */
  readonly changesNothing: boolean;
}

const declaredByApp = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route the app registered with its access level: the security tests walk this list. */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredByApp.get(app) ?? [];
}

/** Deny by default: a route without a declared access level stops the app from starting. */
export function requireDeclaredAccess(app: FastifyInstance): void {
  const declared: DeclaredRoute[] = [];
  declaredByApp.set(app, declared);
  app.addHook('onRoute', (route) => {
    const config = route.config as { access?: unknown; changesNothing?: unknown } | undefined;
    const access = config?.access;
    if (typeof access !== 'string' || !ROUTE_ACCESS_VALUES.includes(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no valid access (config.access); refusing to start.`);
    }
    const changesNothing = config?.changesNothing === true;
    if (changesNothing && access !== 'public') {
      throw new Error(`Route ${String(route.method)} ${route.url} takes forms without a token (changesNothing) but is not public; refusing to start.`);
    }
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, access: access as RouteAccess, changesNothing });
  });
}

export interface AccessDeps {
  readonly crypto: FieldCrypto;
  readonly sessions: SessionStore;
  readonly audit: AuditService;
  readonly csrf: Csrf;
  readonly cookie: SessionCookie;
  readonly keptForms: KeptForms;
}

/**
 * Runs before every handler: loads the session for professional routes, enforces the route's access level with
 * the one policy function, records refusals, and checks the CSRF token of every state-changing form.
 */
export function registerAccessControl(app: FastifyInstance, deps: AccessDeps): void {
  const staffName = staffNameReader(deps.crypto);
  app.decorateRequest('session', undefined);
  app.decorateRequest('actor', undefined);

  // Only on the routes that ask for it (accessBeforeBody): a hook on every route would cost every page view something.
  const checkBeforeBody: preParsingAsyncHookHandler = async (request, reply) => {
    const access = request.routeOptions.config.access as Permission;
    await loadSession(request, reply, deps, staffName);
    if (request.session?.stage !== 'complete' || !request.actor) await toSignIn(request, reply, deps);
    else if (!can(request.actor, access)) await refuse(request, reply, deps, access);
  };
  app.addHook('onRoute', (route) => {
    const config = route.config;
    if (!config?.accessBeforeBody) return;
    if (!PERMISSIONS.includes(config.access as Permission)) throw new Error(`Route ${route.url} reads its body after an access check, so it must need a permission.`);
    route.preParsing = [checkBeforeBody, ...[route.preParsing ?? []].flat()];
  });

  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // the not-found handler: nothing to protect
    // A route that checked access before its body (accessBeforeBody) has its session already.
    if (access !== 'public' && !request.session) await loadSession(request, reply, deps, staffName);
    // Someone whose session timed out is told to sign in again (a form they sent is kept for them), not that the form expired.
    if (access === 'password-stage' && request.session?.stage !== 'password') return toSignIn(request, reply, deps);
    if (access !== 'public' && access !== 'anonymous' && access !== 'password-stage' && (request.session?.stage !== 'complete' || !request.actor)) {
      return toSignIn(request, reply, deps);
    }
    const tokenless = access === 'public' && request.routeOptions.config.changesNothing === true;
    if (!isApiRequest(request) && !tokenless && !deps.csrf.isValid(request)) return refuseForm(request, reply);
    if (access === 'public' || access === 'anonymous' || access === 'password-stage') return;
    if (!can(request.actor, access)) return refuse(request, reply, deps, access);
    if (request.routeOptions.config.keepsFormAcrossSignIn && (request.body as Record<string, unknown> | undefined)?.['_timedOut'] === '1') return keepUnsaved(request, reply, deps);
  });
}

/** Staff signed in at once on one instance, with room to spare: each name is decrypted once, not on every page. */
const STAFF_NAMES_KEPT = 2000;

/**
 * The signed-in person's name for the page header. Decrypting it was a tenth of every professional page (a cipher is
 * set up afresh each time). Keyed by the stored ciphertext, so a changed name or a re-encryption is read anew; only
 * staff names are kept, never a case's.
 */
function staffNameReader(crypto: FieldCrypto): (nameEnc: string) => string {
  const names = new LRUCache<string, string>({ max: STAFF_NAMES_KEPT });
  return (nameEnc) => {
    let name = names.get(nameEnc);
    if (name === undefined) {
      name = crypto.decrypt(nameEnc);
      names.set(nameEnc, name);
    }
    return name;
  };
}

async function loadSession(request: FastifyRequest, reply: FastifyReply, deps: AccessDeps, staffName: (nameEnc: string) => string): Promise<void> {
  const token = request.cookies[deps.cookie.name];
  if (!token) return;
  const found = await deps.sessions.lookup(token);
  if (found.state === 'expired') {
    await deps.audit.record({ action: 'SESSION_EXPIRED', actorUserId: found.userId, ip: request.ip, requestId: request.id });
    reply.clearCookie(deps.cookie.name, deps.cookie.options);
    request.sessionEnded = { userId: found.userId, sessionId: found.sessionId, stage: found.stage };
    return;
  }
  if (found.state !== 'active') return;
  const user = found.holder;
  if (user.status !== 'active' || user.organisation_active !== 1) {
    await deps.sessions.destroy(found.session.id);
    return;
  }
  request.session = found.session;
  if (found.session.stage !== 'complete') return;
  request.actor = toActor(user);
  request.viewer = { name: staffName(user.name_enc), organisationName: user.organisation_name };
}

/** A page's address, as the app itself writes them: where a kept form may send its person back after signing in. */
const APP_PAGE = /^\/app\/[\w/-]+$/;

async function toSignIn(request: FastifyRequest, reply: FastifyReply, deps: AccessDeps) {
  const ended = request.sessionEnded;
  if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(ended ? '/app/sign-in?ended=1' : '/app/sign-in', 303);
  const fields = request.body;
  const path = request.url.split('?')[0] ?? '';
  // Kept only for a fully signed-in session that timed out, and a form it sent itself (its own token), to a page.
  const keep = ended?.stage === 'complete' && request.routeOptions.config.keepsFormAcrossSignIn && APP_PAGE.test(path) && deps.csrf.isValid(request, ended.sessionId);
  if (ended && keep && typeof fields === 'object' && fields !== null) {
    const token = await deps.keptForms.keep(ended.userId, path, keptValues(typedValues(request)), { ip: request.ip, requestId: request.id });
    reply.setCookie(deps.cookie.keptFormName, token, { ...deps.cookie.options, maxAge: KEPT_FORM_MS / 1000 });
    return reply.redirect('/app/sign-in?ended=1&kept=1', 303);
  }
  return reply.code(401).render('error.njk', {
    layout: 'layouts/professional.njk',
    title: 'You need to sign in',
    detail: ended
      ? 'Your session ended because you were inactive for 30 minutes or signed in for 12 hours. Nothing you were typing was saved here unless the page said it was saved as a draft.'
      : 'Sign in to continue.',
    action: { href: '/app/sign-in', text: 'Sign in' },
    reference: request.id,
  });
}

/**
 * A form its page sent by itself when the page's clock said the session was over (init.js), on a session still alive
 * (another tab kept it going): nobody pressed save, so nothing is saved; what was typed is kept and shown again.
 */
async function keepUnsaved(request: FastifyRequest, reply: FastifyReply, deps: AccessDeps) {
  const path = request.url.split('?')[0] ?? '';
  const token = await deps.keptForms.keep(request.actor?.userId ?? '', path, keptValues(typedValues(request)), { ip: request.ip, requestId: request.id });
  reply.setCookie(deps.cookie.keptFormName, token, { ...deps.cookie.options, maxAge: KEPT_FORM_MS / 1000 });
  return reply.redirect(path, 303);
}

async function refuse(request: FastifyRequest, reply: FastifyReply, deps: AccessDeps, permission: Permission) {
  // Which record was asked for, when the address names one: who tried to reach what is the point of the event.
  const attempted = Object.values((request.params ?? {}) as Record<string, unknown>).find((value): value is string => typeof value === 'string' && RECORD_ID.test(value));
  await deps.audit.record({
    action: 'ACCESS_DENIED',
    outcome: 'denied',
    actorUserId: request.actor?.userId,
    actorOrganisationId: request.actor?.organisationId,
    ...(attempted ? { recordId: attempted } : {}),
    ip: request.ip,
    requestId: request.id,
    details: { permission, route: request.routeOptions.url ?? '', method: request.method },
  });
  return reply.code(403).render('error.njk', {
    layout: 'layouts/professional.njk',
    title: 'You do not have permission to see this page',
    detail: 'Your role does not include this. If you need it for your work, ask your organisation administrator.',
    reference: request.id,
  });
}

function refuseForm(request: FastifyRequest, reply: FastifyReply) {
  request.log.info('form refused: missing or stale CSRF token');
  const professional = onProfessionalSide(request);
  const text = { status: 403, key: professional ? 'formExpired' : 'formExpiredPublic' };
  // A public form is shown afresh at the address it is sent to (the call-back request): the way back to it.
  const action = professional ? undefined : { href: request.url.split('?')[0], textKey: 'platform.error.formExpiredPublic.action' };
  return reply.code(403).render('error.njk', { layout: layoutFor(request), ...pageText(text, 'formExpired'), action, reference: request.id });
}

export type { RouteAccess };
