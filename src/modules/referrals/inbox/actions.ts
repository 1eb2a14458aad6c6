import type { Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditEntry } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { Executor } from '../../../platform/db/database.js';
import { newId } from '../../../platform/db/ids.js';
import { assertUpdated, StaleVersionError } from '../../../platform/db/versioning.js';
import { newRouteRow } from '../route-row.js';
import { addWorkingDays } from '../rules/dates.js';
import { londonDay } from '../../../platform/time/london.js';
import { requireReceivedRoute } from './access.js';
import { DECLINE_REASONS, textOf } from './options.js';
import { nextRouteAfterDecline, type NextRoute } from './rerouting.js';
import {
  activeOrganisationsBySlug,
  closeReferralWhenNoOpenRoutes,
  contactAttemptTimes,
  insertEvent,
  insertRoute,
  maxRoutePosition,
  OPEN,
  organisationName,
  referralForRerouting,
  routesOfReferral,
  updateRoute,
  type RouteRow,
} from './repository.js';
import type { ContactInput, DeclineInput, OutcomeInput } from './schemas.js';
import type { ReferralInboxDeps } from './service.js';
import type { RouteStatus } from '../tables.js';

/** A change the route's current state does not allow, tied to the form field it concerns. */
export class InboxActionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DeclineResult {
  /** The organisation the referral was passed on to, or null when no one is left to take it. */
  readonly passedTo: { readonly name: string; readonly triage: boolean } | null;
}

const RECORD_TYPE = 'referral route';

export function createInboxActions(deps: ReferralInboxDeps) {
  const { db, crypto, audit, rules, clock } = deps;

  /** Checks need to know outside the transaction (a refusal is audited on its own), then the version. */
  async function load(actor: Actor, routeId: string, version: number, allowed: readonly RouteStatus[], origin: RequestOrigin, refusal: string): Promise<RouteRow> {
    const route = await requireReceivedRoute(db.kysely, audit, actor, routeId, origin);
    if (route.version !== version) throw new StaleVersionError(RECORD_TYPE);
    if (!allowed.includes(route.status)) throw new InboxActionError('version', refusal);
    return route;
  }

  function event(route: RouteRow, actor: Actor | null, kind: string, at: string, details: Record<string, unknown>, note: string | null = null) {
    return {
      id: newId(),
      referral_id: route.referral_id,
      route_id: route.id,
      at,
      kind,
      actor_user_id: actor?.userId ?? null,
      actor_organisation_id: actor?.organisationId ?? null,
      details: JSON.stringify(details),
      note_enc: crypto.encryptOptional(note),
    };
  }

  /** The referral's district, risk level and the rule-set version it was routed by (read before any transaction). */
  async function routingContext(route: RouteRow) {
    const referral = await referralForRerouting(db.kysely, route.referral_id);
    const ruleSet = referral ? await rules.byId(referral.rule_set_id) : undefined;
    return referral && ruleSet ? { referral, ruleSet } : undefined;
  }

  /** Finds the next organisation under the referral's own rule-set version, skipping any that cannot take it. */
  async function passOn(trx: Executor, route: RouteRow, context: Awaited<ReturnType<typeof routingContext>>): Promise<(NextRoute & { organisationId: string; name: string }) | null> {
    if (!context) return null;
    const { referral, ruleSet } = context;
    const routes = await routesOfReferral(trx, route.referral_id);
    const declinedBy = new Set(routes.filter((other) => other.status === 'declined' || other.id === route.id).map((other) => other.organisationSlug));
    const open = new Set(routes.filter((other) => other.id !== route.id && OPEN.includes(other.status)).map((other) => `${other.kind}|${other.organisationSlug}`));
    const declined = { kind: route.kind, organisationSlug: routes.find((other) => other.id === route.id)?.organisationSlug ?? '' };
    // An organisation that is no longer active is passed over, and the rules asked again.
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const next = nextRouteAfterDecline(ruleSet.rules, referral.district, declined, { declinedBy, open });
      if (!next) return null;
      const [organisation] = await activeOrganisationsBySlug(trx, [next.organisationSlug]);
      if (organisation) return { ...next, organisationId: organisation.id, name: organisation.name };
      declinedBy.add(next.organisationSlug);
    }
    return null;
  }

  return {
    async accept(actor: Actor, routeId: string, version: number, origin: RequestOrigin): Promise<void> {
      const route = await load(actor, routeId, version, ['new'], origin, 'This referral has already been accepted or declined.');
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock().toISOString();
        assertUpdated(await updateRoute(trx, route.id, version, { status: 'accepted', accepted_at: now, accepted_by_user_id: actor.userId, updated_at: now }), RECORD_TYPE);
        await insertEvent(trx, event(route, actor, 'accepted', now, {}));
        await audit.recordWith(trx, { action: 'REFERRAL_ROUTE_ACCEPTED', recordType: 'referral', recordId: route.referral_id, details: { routeId: route.id }, ...actedBy(actor, origin) });
      });
    },

    /** Declines with a reason and, in the same transaction, passes the referral on (see rerouting.ts). */
    async decline(actor: Actor, routeId: string, input: DeclineInput, origin: RequestOrigin): Promise<DeclineResult> {
      const route = await load(actor, routeId, input.version, ['new', 'accepted'], origin, 'This referral can no longer be declined: contact has already been made or it is closed.');
      const context = await routingContext(route);
      return db.kysely.transaction().execute(async (trx) => {
        const now = clock();
        const at = now.toISOString();
        assertUpdated(
          await updateRoute(trx, route.id, input.version, {
            status: 'declined',
            declined_at: at,
            declined_by_user_id: actor.userId,
            decline_reason_enc: crypto.encrypt(JSON.stringify({ reason: input.reason, details: input.details })),
            updated_at: at,
          }),
          RECORD_TYPE,
        );
        await insertEvent(trx, event(route, actor, 'declined', at, { reason: input.reason }, input.details));
        // The events are written last, in one step: appending holds the audit chain until this transaction commits.
        const declined: AuditEntry = { action: 'REFERRAL_ROUTE_DECLINED', recordType: 'referral', recordId: route.referral_id, details: { routeId: route.id, reason: input.reason }, ...actedBy(actor, origin) };

        const next = await passOn(trx, route, context);
        if (!next) {
          await audit.recordAllWith(trx, [declined, { action: 'REFERRAL_REROUTED', outcome: 'failure', recordType: 'referral', recordId: route.referral_id, details: { fromRouteId: route.id, reason: 'no-organisation-left' }, ...actedBy(actor, origin) }]);
          return { passedTo: null };
        }
        const decliner = (await organisationName(trx, route.organisation_id))?.name ?? 'The organisation';
        // Checked by passOn: a next route only exists with the referral's rule set.
        const workingDays = context ? context.ruleSet.rules.firstContactWorkingDays[context.referral.risk_level] : 3;
        const newRouteId = newId();
        await insertRoute(
          trx,
          newRouteRow(
            {
              id: newRouteId,
              referral_id: route.referral_id,
              organisation_id: next.organisationId,
              kind: next.kind,
              risk_level: route.risk_level,
              rules_fired: JSON.stringify([
                {
                  ruleId: next.triage ? 'passed-on-for-triage' : 'passed-on-after-decline',
                  summary: `Passed on to ${next.name} after ${decliner} declined it (${lowerFirst(textOf(DECLINE_REASONS, input.reason))}).`,
                  because: [next.because],
                },
              ]),
              rule_set_id: route.rule_set_id,
              position: (await maxRoutePosition(trx, route.referral_id)) + 1,
              first_contact_due_at: addWorkingDays(now, workingDays).toISOString(),
              rerouted_from_route_id: route.id,
            },
            at,
          ),
        );
        await insertEvent(trx, { ...event(route, actor, 'rerouted', at, { fromRouteId: route.id, organisationId: next.organisationId, kind: next.kind, triage: next.triage }), route_id: newRouteId });
        await audit.recordAllWith(trx, [declined, { action: 'REFERRAL_REROUTED', recordType: 'referral', recordId: route.referral_id, details: { fromRouteId: route.id, routeId: newRouteId, organisationId: next.organisationId, kind: next.kind, triage: next.triage }, ...actedBy(actor, origin) }]);
        return { passedTo: { name: next.name, triage: next.triage } };
      });
    },

    /** The first successful contact (the earliest, whenever it is logged) sets the route's first contact time. */
    async logContact(actor: Actor, routeId: string, input: ContactInput, origin: RequestOrigin): Promise<void> {
      const route = await load(actor, routeId, input.version, ['accepted', 'in_contact'], origin, 'Accept the referral before logging contact, or it may already be closed.');
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock().toISOString();
        const contactAt = input.at.toISOString();
        const isFirst = input.successful && (route.first_contact_at === null || contactAt < route.first_contact_at);
        assertUpdated(
          await updateRoute(trx, route.id, input.version, {
            updated_at: now,
            ...(isFirst ? { first_contact_at: contactAt, first_contact_by_user_id: actor.userId } : {}),
            ...(input.successful && route.status === 'accepted' ? { status: 'in_contact' as const } : {}),
          }),
          RECORD_TYPE,
        );
        await insertEvent(trx, event(route, actor, 'contact_attempt', now, { method: input.method, successful: input.successful, contactAt, firstContact: isFirst }, input.note));
        await audit.recordWith(trx, { action: 'REFERRAL_CONTACT_LOGGED', recordType: 'referral', recordId: route.referral_id, details: { routeId: route.id, method: input.method, successful: input.successful, firstContact: isFirst }, ...actedBy(actor, origin) });
      });
    },

    async recordOutcome(actor: Actor, routeId: string, input: OutcomeInput, origin: RequestOrigin): Promise<void> {
      const route = await load(actor, routeId, input.version, ['accepted', 'in_contact'], origin, 'Accept the referral before recording an outcome, or it may already be closed.');
      if (input.outcome === 'engaged' && route.first_contact_at === null) throw new InboxActionError('outcome', 'Log the contact in which they agreed to support before recording that they engaged');
      const tooFewAttempts = input.outcome === 'unable_to_contact' ? enoughAttemptsRefusal(await contactAttemptTimes(db.kysely, route.id)) : null;
      if (tooFewAttempts) throw new InboxActionError('outcome', tooFewAttempts);
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock().toISOString();
        const closes = input.outcome !== 'engaged';
        assertUpdated(
          await updateRoute(trx, route.id, input.version, {
            outcome: input.outcome,
            outcome_at: now,
            updated_at: now,
            status: closes ? 'closed' : 'in_contact',
            ...(closes ? { closed_at: now } : {}),
          }),
          RECORD_TYPE,
        );
        await insertEvent(trx, event(route, actor, 'outcome', now, { outcome: input.outcome, closureOutcomes: input.closureOutcomes.join(',') }, input.note));
        if (closes) await closeReferralWhenNoOpenRoutes(trx, route.referral_id, now);
        await audit.recordWith(trx, { action: 'REFERRAL_OUTCOME_RECORDED', recordType: 'referral', recordId: route.referral_id, details: { routeId: route.id, outcome: input.outcome, closureOutcomes: input.closureOutcomes.join(',') }, ...actedBy(actor, origin) });
      });
    },
  };
}

/**
 * "Unable to contact" closes the referral for the service while the person may still be at risk: not before several
 * tries at different times (someone watched may be free to answer only some days). A default for the partnership to
 * set in its own procedures; the papers name no number.
 */
export const UNABLE_TO_CONTACT_ATTEMPTS = 3;
export const UNABLE_TO_CONTACT_DAYS = 2;

function enoughAttemptsRefusal(attemptTimes: readonly string[]): string | null {
  const days = new Set(attemptTimes.map((at) => londonDay(new Date(at)))).size;
  if (attemptTimes.length >= UNABLE_TO_CONTACT_ATTEMPTS && days >= UNABLE_TO_CONTACT_DAYS) return null;
  const logged = `${String(attemptTimes.length)} attempt${attemptTimes.length === 1 ? '' : 's'} logged so far${attemptTimes.length ? `, on ${String(days)} day${days === 1 ? '' : 's'}` : ''}`;
  return `Try to reach them at least ${String(UNABLE_TO_CONTACT_ATTEMPTS)} times, on at least ${String(UNABLE_TO_CONTACT_DAYS)} different days, and log each attempt before recording that they could not be contacted (${logged})`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
