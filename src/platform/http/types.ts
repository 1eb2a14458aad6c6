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
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    cspNonce: string;
    csrfToken: string;
    session: SessionView | undefined;
    actor: Actor | undefined;
    /** Set when this request's session cookie had timed out, so the sign-in page can say so. */
    sessionEnded: boolean;
    /** Values a module's hook adds to every page it renders (see registerRendering). */
    pageLocals: Record<string, unknown> | undefined;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
    renderForm(template: string, errors: FormErrors, context?: Record<string, unknown>): FastifyReply;
  }
}
