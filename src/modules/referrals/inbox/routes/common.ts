import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/access/policy.js';
import { UserFacingError } from '../../../../platform/http/errors.js';
import type { FormErrors } from '../../../../platform/views/form-errors.js';

export const RECEIVE = { config: { access: 'referrals.receive' as const } };
export const INBOX = '/app/inbox';

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

export function routeIdOf(request: FastifyRequest): string {
  const value = (request.params as Record<string, unknown>)['routeId'];
  return typeof value === 'string' ? value : '';
}

export function queryOf(request: FastifyRequest): Record<string, unknown> {
  const query = request.query;
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
}

export const STALE_ROUTE_MESSAGE =
  'This referral was updated after you opened the page (by someone in your organisation, or by you in another tab or with a second press), so your change was not saved. The page now shows the latest details: check them and try again.';

/** GOV.UK date inputs: the summary link should land on the day field, the first of the three. */
export function pointDateErrorsAtDay(errors: FormErrors, field: string): FormErrors {
  return { ...errors, summary: errors.summary.map((item) => (item.href === `#${field}` ? { ...item, href: `#${field}-day` } : item)) };
}

/** Success messages after POST-redirect-GET travel as a short code in the address, never as free text. */
export function noticeOf<K extends string>(request: FastifyRequest, messages: Record<K, string>): string | undefined {
  const code = queryOf(request)['notice'];
  return typeof code === 'string' && code in messages ? messages[code as K] : undefined;
}
