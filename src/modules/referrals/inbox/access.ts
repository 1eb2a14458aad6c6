import { can, type Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { Executor } from '../../../platform/db/database.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { referralIdOfRoute, routeOfOrganisation, type RouteRow } from './repository.js';
import { RECORD_ID } from '../../../platform/db/ids.js';

export const ROUTE_NOT_FOUND = new UserFacingError(404, 'If you typed the web address, check it is correct. If you followed a link, the referral may not be one sent to your organisation.', 'Page not found');
/** The organisation's own referral, declined (by this person or a colleague, perhaps a moment ago): said plainly. */
const ROUTE_DECLINED = new UserFacingError(410, 'Your organisation declined this referral, so it is no longer in your inbox. If a colleague declined it after you opened the page, nothing you sent was saved.', 'No longer in your inbox');

/**
 * Need to know: a route is found only through the organisation it was sent to, by someone who receives
 * referrals. Anyone else gets "not found" (never "forbidden", so existence is not confirmed) and the refusal is
 * audited, naming the referral when the route exists so an auditor can see who looked for what.
 * A declined route is no longer the organisation's to see: its staff are told so (they may have acted on it from a
 * page opened before a colleague declined it), and the audit says it was their organisation's.
 */
export async function requireReceivedRoute(executor: Executor, audit: AuditService, actor: Actor, routeId: string, origin: RequestOrigin): Promise<RouteRow> {
  const wellFormed = RECORD_ID.test(routeId);
  const route = wellFormed && can(actor, 'referrals.receive') ? await routeOfOrganisation(executor, routeId, actor.organisationId) : undefined;
  if (route && route.status !== 'declined') return route;
  const referral = wellFormed ? await referralIdOfRoute(executor, routeId) : undefined;
  const declinedHere = route !== undefined;
  await audit.record({
    action: 'REFERRAL_ACCESS_REFUSED',
    outcome: 'denied',
    ...actedBy(actor),
    ...(referral
      ? { recordType: 'referral', recordId: referral.referral_id, details: { routeId, view: 'inbox', ...(declinedHere ? { reason: 'declined-by-own-organisation' } : {}) } }
      : { recordType: 'referral_route', recordId: routeId.slice(0, 64), details: { view: 'inbox' } }),
    ...origin,
  });
  throw declinedHere ? ROUTE_DECLINED : ROUTE_NOT_FOUND;
}
