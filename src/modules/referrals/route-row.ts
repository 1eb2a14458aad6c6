import type { Insertable } from 'kysely';
import type { ReferralRouteTable } from './tables.js';

/** What decides a new route: where it goes and why; everything that happens to it later starts empty. */
export type NewRoute = Pick<
  Insertable<ReferralRouteTable>,
  'id' | 'referral_id' | 'organisation_id' | 'kind' | 'risk_level' | 'rules_fired' | 'rule_set_id' | 'position' | 'first_contact_due_at' | 'rerouted_from_route_id'
>;

/** A route as it arrives in the receiving organisation's inbox: new, not yet contacted, accepted or declined. */
export function newRouteRow(route: NewRoute, at: string) {
  return {
    ...route,
    status: 'new' as const,
    first_contact_at: null,
    first_contact_by_user_id: null,
    accepted_at: null,
    accepted_by_user_id: null,
    declined_at: null,
    declined_by_user_id: null,
    decline_reason_enc: null,
    outcome: null,
    outcome_at: null,
    closed_at: null,
    last_chased_at: null,
    created_at: at,
    updated_at: at,
    version: 1,
  };
}
