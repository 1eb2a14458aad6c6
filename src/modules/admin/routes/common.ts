import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/access/policy.js';
import { originOfRequest } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { Services } from '../../../services.js';
import { actedBy } from '../../../platform/audit/service.js';

/** The signed-in person on a route that declared a permission (the access check has already required them). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

export function paramOf(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

export function queryOf(request: FastifyRequest): Record<string, unknown> {
  const query = request.query;
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
}

/** Success messages after POST-redirect-GET travel as a short code in the address, never as free text. */
export function noticeOf<K extends string>(request: FastifyRequest, messages: Record<K, string>): string | undefined {
  const code = queryOf(request)['notice'];
  return typeof code === 'string' && code in messages ? messages[code as K] : undefined;
}

const NO_SUCH_ACCOUNT = ['There is no account at this address. It may have been typed wrongly.', 'Account not found'] as const;

/**
 * Loads a user the actor may manage. Someone in another organisation is answered exactly as an account that does not
 * exist (whether an address names an account elsewhere is not theirs to learn), and the refusal is recorded.
 */
export async function loadManagedUser(request: FastifyRequest, services: Services) {
  const actor = actorOf(request);
  const userId = paramOf(request, 'userId');
  const found = await services.admin.findManageable(actor, userId);
  if (found.kind === 'not-found') throw new UserFacingError(404, ...NO_SUCH_ACCOUNT);
  if (found.kind === 'out-of-scope') {
    await services.audit.record({
      action: 'ACCESS_DENIED',
      outcome: 'denied',
      ...actedBy(actor),
      recordType: 'user',
      recordId: userId,
      details: { permission: 'users.manage', organisationId: found.organisationId, route: request.routeOptions.url ?? '', method: request.method },
      ...originOfRequest(request),
    });
    throw new UserFacingError(404, ...NO_SUCH_ACCOUNT);
  }
  return { actor, user: found.user, organisation: found.organisation };
}

export const ADMIN_BREADCRUMB = { text: 'Administration', href: '/app/admin' };

