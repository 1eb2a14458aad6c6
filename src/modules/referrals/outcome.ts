import type { Executor } from '../../platform/db/database.js';
import { CRITERION_LABELS, type RuleFired } from './rules/engine.js';
import { criteriaOf, declineEventsOf, leadOrganisationOf, referralById, routesOf } from './repository.js';
import { DECLINE_REASONS, OUTCOMES } from './inbox/options.js';
import type { CriterionCode, ReferralCriterionTable, ReferralRouteTable, ReferralTable, RiskLevel, RouteKind, RouteStatus } from './tables.js';
import { CRITERIA } from './tables.js';
import { ROUTE_KIND_LABELS } from './options.js';

/**
 * What a referral led to, in the one shape the confirmation page, the referrer's detail page and the partner
 * API all show: no personal data, only the score, the criteria met, and each route with the rules that fired.
 */
export interface CriterionOutcome {
  readonly criterion: CriterionCode;
  readonly label: string;
  readonly explanation: string;
}

export interface ReferralOutcome {
  readonly id: string;
  readonly reference: string;
  readonly submittedAt: string;
  readonly district: string;
  readonly score: number;
  readonly riskLevel: RiskLevel;
  /** At least one MARAC criterion is met (criteriaMet is not empty). */
  readonly maracCriteriaMet: boolean;
  /** The routing rules in use send it to MARAC: not, as seeded, for a person at risk under 16. */
  readonly referredToMarac: boolean;
  readonly criteriaMet: ReadonlyArray<CriterionOutcome>;
  /** The criteria the rules weighed and this referral did not meet, each with why: empty for referrals sent before 2026-12-05. */
  readonly criteriaNotMet: ReadonlyArray<CriterionOutcome>;
  readonly ruleSet: { readonly maracArea: string; readonly version: number };
  readonly routes: ReadonlyArray<{
    readonly id: string;
    readonly kind: RouteKind;
    readonly kindLabel: string;
    readonly organisation: { readonly slug: string; readonly name: string };
    readonly status: RouteStatus;
    readonly rulesFired: readonly RuleFired[];
    /** Why the organisation declined it, as they chose from the list (their written details stay with them). */
    readonly declineReason: { readonly code: string; readonly text: string } | null;
    /** The organisation it was passed on to when this one declined, if it was. */
    readonly passedOnTo: string | null;
    /** What the service recorded: engaged, declined support, unable to contact, closed after support. */
    readonly serviceOutcome: { readonly code: string; readonly text: string } | null;
  }>;
  /** Set when the same person was referred recently: who to contact, and nothing else about it. */
  readonly recentReferral: { readonly contact: string } | null;
}

/** The columns an outcome is made of: rows read back, or the rows a submission is about to write. */
export interface OutcomeSource {
  readonly referral: Pick<ReferralTable, 'id' | 'reference' | 'submitted_at' | 'district' | 'score' | 'risk_level' | 'marac' | 'marac_area' | 'rule_set_version'>;
  readonly criteria: ReadonlyArray<Pick<ReferralCriterionTable, 'criterion' | 'met' | 'explanation'>>;
  /** In route order, each with its organisation's slug and name. */
  readonly routes: ReadonlyArray<Pick<ReferralRouteTable, 'id' | 'kind' | 'status' | 'rules_fired' | 'outcome' | 'rerouted_from_route_id'> & { readonly organisation_slug: string; readonly organisation_name: string }>;
  /** The reason code each declined route was declined with, by route id (from the referral's events). */
  readonly declineReasons?: ReadonlyMap<string, string>;
  /** The organisation to contact about a recent referral of the same person, if there was one. */
  readonly recentContact: { readonly name: string } | undefined;
}

export async function outcomeOf(executor: Executor, referralId: string): Promise<ReferralOutcome | undefined> {
  const referral = await referralById(executor, referralId);
  if (!referral) return undefined;
  const [criteria, routes, declines] = await Promise.all([criteriaOf(executor, referralId), routesOf(executor, referralId), declineEventsOf(executor, referralId)]);
  const recentContact = referral.recent_referral_id ? await leadOrganisationOf(executor, referral.recent_referral_id) : undefined;
  const declineReasons = new Map(declines.flatMap((event) => (event.route_id ? [[event.route_id, String((JSON.parse(event.details) as Record<string, unknown>)['reason'])] as const] : [])));
  return toOutcome({ referral, criteria, routes, recentContact, declineReasons });
}

const textIn = (options: ReadonlyArray<{ readonly value: string; readonly text: string }>, code: string | null | undefined) => {
  const option = options.find((candidate) => candidate.value === code);
  return option ? { code: option.value, text: option.text } : null;
};

export function toOutcome({ referral, criteria, routes, recentContact, declineReasons }: OutcomeSource): ReferralOutcome {
  return {
    id: referral.id,
    reference: referral.reference,
    submittedAt: referral.submitted_at,
    district: referral.district,
    score: referral.score,
    riskLevel: referral.risk_level,
    maracCriteriaMet: criteria.some((criterion) => criterion.met === 1),
    referredToMarac: referral.marac === 1,
    criteriaMet: criteriaWhere(criteria, 1),
    criteriaNotMet: criteriaWhere(criteria, 0),
    ruleSet: { maracArea: referral.marac_area, version: referral.rule_set_version },
    routes: routes.map((route) => ({
      id: route.id,
      kind: route.kind,
      kindLabel: ROUTE_KIND_LABELS[route.kind] ?? route.kind,
      organisation: { slug: route.organisation_slug, name: route.organisation_name },
      status: route.status,
      rulesFired: JSON.parse(route.rules_fired) as RuleFired[],
      declineReason: route.status === 'declined' ? textIn(DECLINE_REASONS, declineReasons?.get(route.id)) : null,
      passedOnTo: routes.find((other) => other.rerouted_from_route_id === route.id)?.organisation_name ?? null,
      serviceOutcome: textIn(OUTCOMES, route.outcome),
    })),
    recentReferral: recentContact ? { contact: recentContact.name } : null,
  };
}

function criteriaWhere(criteria: OutcomeSource['criteria'], met: 0 | 1): CriterionOutcome[] {
  return criteria
    .filter((row) => row.met === met)
    .sort((a, b) => CRITERIA.indexOf(a.criterion) - CRITERIA.indexOf(b.criterion))
    .map((row) => ({ criterion: row.criterion, label: CRITERION_LABELS[row.criterion], explanation: row.explanation }));
}
