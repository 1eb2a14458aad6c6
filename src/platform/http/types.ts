import type { Actor, Permission } from '../access/policy.js';
import type { FormErrors } from '../views/form-errors.js';

/**
 * What a route needs before it runs. Every route declares one; the app refuses to start otherwise.
 * - `public`: the public surface, open to anyone.
 * - `anonymous`: professional pages used before signing in (sign-in, reset, invitation).
 * - `password-stage`: signed in with a password but the second factor is still to come.
 * - a permission: fully signed in, and the policy must grant it.
 */
export type RouteAccess = 'public' | 'anonymous' | 'password-stage' | Permission;

export interface SessionView {
  readonly id: string;
  readonly userId: string;
  readonly stage: 'password' | 'complete';
  readonly createdAt: string;
  /** When this session next ends if nothing happens: 30 minutes after it was last used, or its 12 hours, whichever is first. */
  readonly endsAt: number;
  /** The end is the 12-hour limit, which nothing extends: the warning then says to save and sign in again. */
  readonly endIsFinal: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * A form whose page (GET at the same address) shows what was sent again when asked: sent after the session
     * ended, it is kept for its sender to see once they have signed in again (see kept-forms.ts).
     */
    keepsFormAcrossSignIn?: boolean;
    /**
     * A route that takes a large body (a video upload): who is sending it, and their permission, are checked before
     * the body is read, so nobody else can make the server take one in.
     */
    accessBeforeBody?: boolean;
    /**
     * A public form that changes nothing and only leads to a page (the finder's search, posted to keep it out of the
     * address): it needs no form token, so showing it sets no cookie. Only for routes open to the public.
     */
    changesNothing?: boolean;
  }
  interface FastifyRequest {
    cspNonce: string;
    csrfToken: string;
    session: SessionView | undefined;
    actor: Actor | undefined;
    /** The session this request's cookie held, when it had timed out: the sign-in page says so, and a form sent on it may be kept. */
    sessionEnded: { readonly userId: string; readonly sessionId: string; readonly stage: SessionView['stage'] } | undefined;
    /** Values a module's hook adds to every page it renders (see registerRendering). */
    pageLocals: Record<string, unknown> | undefined;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
    renderForm(template: string, errors: FormErrors, context?: Record<string, unknown>): FastifyReply;
  }
}
