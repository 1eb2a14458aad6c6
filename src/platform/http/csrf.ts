import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_COOKIE_SECONDS = 2 * 60 * 60;

export interface CsrfOptions {
  readonly secret: string;
  readonly cookieSecure: boolean;
}

/**
 * One token per session, derived from it, so it rotates with the session and never on each request. A form
 * shown before sign-in is bound to a short-lived cookie instead, set only when such a form is shown.
 */
export function createCsrf(options: CsrfOptions) {
  // Over https the cookie is __Host- prefixed: no other host of a shared domain (a sibling council subdomain) can set
  // it, so nobody can plant a binding they know the token of.
  const ANONYMOUS_COOKIE = options.cookieSecure ? '__Host-form_token' : 'form_token';
  const sign = (binding: string) => createHmac('sha256', options.secret).update(`csrf\u0000${binding}`).digest('base64url');

  // Two hours at most: a phone's browser may stay open for days, and the cookie would say the form was opened.
  const cookieOptions = { path: '/', httpOnly: true, secure: options.cookieSecure, sameSite: 'strict', maxAge: FORM_COOKIE_SECONDS } as const;

  function bindAnonymous(request: FastifyRequest, reply: FastifyReply): string {
    const binding = randomBytes(24).toString('base64url');
    request.cookies[ANONYMOUS_COOKIE] = binding;
    reply.setCookie(ANONYMOUS_COOKIE, binding, cookieOptions);
    return binding;
  }

  function tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    if (request.session) return sign(request.session.id);
    // An empty cookie (sent by another site on a shared domain, say) binds nothing: isValid ignores it, so bind anew.
    return sign(request.cookies[ANONYMOUS_COOKIE] || bindAnonymous(request, reply));
  }

  /** `sessionId` stands for a session that has just ended, to check a form that was sent on it. */
  function isValid(request: FastifyRequest, sessionId = request.session?.id): boolean {
    if (SAFE_METHODS.has(request.method)) return true;
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof body?.['_csrf'] === 'string' ? body['_csrf'] : request.headers['x-csrf-token'];
    if (typeof sent !== 'string') return false;
    // Once there is a session, only its own token counts: a form cookie (which a sibling site could have set) never
    // stands in for the signed-in person.
    const binding = sessionId ?? request.cookies[ANONYMOUS_COOKIE];
    return Boolean(binding) && equal(sign(binding ?? ''), sent);
  }

  /**
   * After a form shown before sign-in has done its work: the form's token stops working, so a resubmission from
   * the browser's history (Back, then "Confirm resubmission") is refused and shows nothing that was typed.
   */
  function forgetAnonymous(request: FastifyRequest, reply: FastifyReply): void {
    if (request.cookies[ANONYMOUS_COOKIE] === undefined) return;
    reply.clearCookie(ANONYMOUS_COOKIE, cookieOptions);
  }

  /**
   * When a form shown before sign-in comes back with what was typed (a mistake to correct): the page carries a new
   * token and the one just sent stops working, so the attempt left in the browser's history cannot be sent again
   * to show the typing to whoever picks up the phone later.
   */
  function renewAnonymous(request: FastifyRequest, reply: FastifyReply): void {
    if (!request.session) bindAnonymous(request, reply);
  }

  /**
   * Which sending of a form shown before sign-in this is, for `what` it makes (a call-back request to one service):
   * the same form sent twice (a second press on a slow connection, a browser retrying) gives the same key, so it can
   * make one record. A keyed hash: the key stored never gives back the cookie it came from.
   */
  function anonymousSubmissionKey(request: FastifyRequest, what: string): string | undefined {
    const binding = request.cookies[ANONYMOUS_COOKIE];
    return binding ? createHmac('sha256', options.secret).update(`submission\u0000${binding}\u0000${what}`).digest('base64url') : undefined;
  }

  return { tokenFor, isValid, forgetAnonymous, renewAnonymous, anonymousSubmissionKey };
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type Csrf = ReturnType<typeof createCsrf>;
