import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.js';
import { originOfRequest } from '../../http/forms.js';
import { FLOW_LIFETIME_MS, type SsoRefusal } from '../oidc-sign-in.js';
import { ssoCallbackPath } from '../oidc-settings.js';
import { setSessionCookie } from './sign-in.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

const ACCOUNT_NOT_FOUND = {
  status: 403,
  title: 'There is no account for you in this organisation',
  detail: 'Your organisation’s sign-in service told us who you are, but there is no active account on this platform for that email address in this organisation. Ask your organisation administrator to invite you or check your account.',
};

/** What the person is told for each refusal: what happened and what they can do, never which check failed inside. */
const REFUSALS: Record<SsoRefusal, { status: number; title: string; detail: string }> = {
  'not-configured': { status: 404, title: 'Single sign-on is not available for this organisation', detail: 'Sign in with your email address and password instead.' },
  'flow-missing': {
    status: 400,
    title: 'Your sign-in took too long or was started in another browser',
    detail: 'For your security, signing in with your organisation’s account must be finished within 10 minutes in the same browser. Start again.',
  },
  'provider-refused': { status: 403, title: 'Your organisation’s sign-in service did not sign you in', detail: 'You may have cancelled, or your organisation may not allow you to use this platform. Try again, or sign in with your email address and password.' },
  'provider-unreachable': { status: 503, title: 'Your organisation’s sign-in service is not answering', detail: 'Try again in a few minutes, or sign in with your email address and password.' },
  'response-invalid': { status: 400, title: 'We could not check the answer from your organisation’s sign-in service', detail: 'Nothing has been signed in. Start again; if it keeps happening, tell your organisation administrator.' },
  'token-refused': { status: 400, title: 'We could not check the answer from your organisation’s sign-in service', detail: 'Nothing has been signed in. Start again; if it keeps happening, tell your organisation administrator.' },
  'email-not-verified': {
    status: 403,
    title: 'Your organisation’s sign-in service did not confirm your email address',
    detail: 'We match you to your account here by a confirmed email address. Ask your organisation’s IT team, or sign in with your email address and password.',
  },
  'no-account': ACCOUNT_NOT_FOUND,
  'other-organisation': ACCOUNT_NOT_FOUND,
  'account-not-active': ACCOUNT_NOT_FOUND,
};

/** The flow cookie only ever goes back to the callback, and only for the few minutes a sign-in can take. */
function flowCookie(services: Services, slug: string) {
  const secure = services.config.cookieSecure;
  return {
    name: `${secure ? '__Secure-' : ''}sso_flow`,
    options: { path: ssoCallbackPath(slug), httpOnly: true, secure, sameSite: 'lax' as const, maxAge: FLOW_LIFETIME_MS / 1000 },
  };
}

function slugOf(request: FastifyRequest): string | undefined {
  const slug = (request.params as { slug?: unknown }).slug;
  return typeof slug === 'string' && SLUG.test(slug) ? slug : undefined;
}

function refusedPage(reply: FastifyReply, reason: SsoRefusal, organisationName: string | undefined, slug: string | undefined) {
  const refusal = REFUSALS[reason];
  const canRetry = slug !== undefined && reason !== 'not-configured' && !['no-account', 'other-organisation', 'account-not-active'].includes(reason);
  return reply.code(refusal.status).render('auth/sso-refused.njk', { ...refusal, organisationName, retryHref: canRetry ? `/app/sso/${slug}` : undefined, reference: reply.request.id });
}

export function registerSsoRoutes(app: FastifyInstance, services: Services): void {
  const { sso } = services;
  const anonymous = { config: { access: 'anonymous' as const } };

  app.get('/app/sso/:slug', anonymous, async (request, reply) => {
    if (request.session?.stage === 'complete') return reply.redirect('/app', 303);
    const slug = slugOf(request);
    const started = slug ? await sso.start(slug) : ({ kind: 'not-configured' } as const);
    if (started.kind === 'not-configured') return refusedPage(reply, 'not-configured', undefined, slug);
    if (started.kind === 'provider-unreachable') {
      request.log.warn({ organisation: slug }, 'single sign-on provider could not be reached');
      return refusedPage(reply, 'provider-unreachable', started.organisationName, slug);
    }
    const cookie = flowCookie(services, slug ?? '');
    reply.setCookie(cookie.name, started.sealedFlow, cookie.options);
    return reply.redirect(started.url, 303);
  });

  app.get('/app/sso/:slug/callback', anonymous, async (request, reply) => {
    const slug = slugOf(request);
    if (!slug) return refusedPage(reply, 'not-configured', undefined, undefined);
    const cookie = flowCookie(services, slug);
    const sealed = request.cookies[cookie.name];
    // Single use: the flow cookie goes whatever the outcome.
    reply.clearCookie(cookie.name, cookie.options);
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    const outcome = await sso.finish(slug, query, sealed, request.session?.id, originOfRequest(request));
    if (outcome.kind === 'refused') {
      request.log.info({ organisation: slug, reason: outcome.reason }, 'single sign-on refused');
      return refusedPage(reply, outcome.reason, outcome.organisationName, slug);
    }
    setSessionCookie(reply, services, outcome.token);
    return reply.redirect(outcome.needsAuthenticatorSetUp ? '/app/sign-in/set-up-authenticator' : '/app/sign-in/code?via=sso', 303);
  });
}
