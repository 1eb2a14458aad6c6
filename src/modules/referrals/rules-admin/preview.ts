import { CRITERION_LABELS, routeReferral, type RoutingInput } from '../rules/engine.js';
import type { RuleSet } from '../rules/schema.js';
import type { CriterionCode, RiskLevel, RouteKind } from '../tables.js';

/**
 * What a draft would change: each recent referral's coded answers run through the rules in use and through the
 * draft (the same pure engine that routes real referrals), and the two compared. Only references and codes come
 * out: no one's details.
 */

export interface Outcome {
  readonly riskLevel: RiskLevel;
  readonly criteria: readonly CriterionCode[];
  /** `kind|organisation slug`, sorted. */
  readonly routes: readonly string[];
}

export interface PreviewCase {
  readonly reference: string;
  readonly submittedAt: string;
  readonly before: Outcome;
  readonly after: Outcome;
  readonly riskChanged: boolean;
  readonly criteriaChanged: boolean;
  readonly routesChanged: boolean;
}

export interface PreviewSummary {
  readonly considered: number;
  readonly riskChanged: number;
  readonly criteriaChanged: number;
  readonly routesChanged: number;
  readonly changed: readonly PreviewCase[];
}

function outcomeOf(rules: RuleSet, input: RoutingInput): Outcome {
  const decision = routeReferral(rules, input);
  return {
    riskLevel: decision.riskLevel,
    criteria: decision.criteria.filter((criterion) => criterion.met).map((criterion) => criterion.criterion),
    routes: decision.routes.map((route) => `${route.kind}|${route.organisationSlug}`).sort(),
  };
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);

export function previewChanges(current: RuleSet, draft: RuleSet, referrals: ReadonlyArray<{ readonly reference: string; readonly input: RoutingInput }>): PreviewSummary {
  const cases = referrals.map(({ reference, input }) => {
    const before = outcomeOf(current, input);
    const after = outcomeOf(draft, input);
    return {
      reference,
      submittedAt: input.referredAt,
      before,
      after,
      riskChanged: before.riskLevel !== after.riskLevel,
      criteriaChanged: !same(before.criteria, after.criteria),
      routesChanged: !same(before.routes, after.routes),
    };
  });
  return {
    considered: cases.length,
    riskChanged: cases.filter((item) => item.riskChanged).length,
    criteriaChanged: cases.filter((item) => item.criteriaChanged).length,
    routesChanged: cases.filter((item) => item.routesChanged).length,
    changed: cases.filter((item) => item.riskChanged || item.criteriaChanged || item.routesChanged),
  };
}

export function criterionLabel(code: CriterionCode): string {
  return CRITERION_LABELS[code];
}

export function splitRoute(route: string): { readonly kind: RouteKind; readonly organisationSlug: string } {
  const [kind, organisationSlug] = route.split('|') as [RouteKind, string];
  return { kind, organisationSlug };
}
