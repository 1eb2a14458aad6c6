import { CRITERION_LABELS, routeReferral, type RoutingInput } from '../rules/engine.js';
import type { RuleSet } from '../rules/schema.js';
import type { CriterionCode, RiskLevel, RouteKind } from '../tables.js';

/**
 * What a draft would change: each recent referral's coded answers run through the rules in use and through the
 * draft (the same pure engine that routes real referrals), and the two compared. Only totals come out: who is
 * affected, and which referral went where, is case data the people who write rules have no need to know.
 */

interface Outcome {
  readonly riskLevel: RiskLevel;
  readonly criteria: readonly CriterionCode[];
  /** `kind|organisation slug`, sorted. */
  readonly routes: readonly string[];
}

/** How many referrals would gain something (a criterion met, a place sent to) and how many would lose it. */
export interface Shift<K> {
  readonly key: K;
  readonly gained: number;
  readonly lost: number;
}

export interface PreviewSummary {
  readonly considered: number;
  /** Referrals with any difference at all. */
  readonly changed: number;
  readonly riskChanged: number;
  readonly criteriaChanged: number;
  readonly routesChanged: number;
  /** Risk level before and after, for each pair that occurs, most common first. */
  readonly riskMoves: ReadonlyArray<{ readonly from: RiskLevel; readonly to: RiskLevel; readonly count: number }>;
  readonly criteria: ReadonlyArray<Shift<CriterionCode>>;
  /** Keyed `kind|organisation slug`, as splitRoute reads them. */
  readonly routes: ReadonlyArray<Shift<string>>;
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

/** The running total under `key`, started at `fresh()` the first time it is asked for. */
function tally<K, V>(totals: Map<K, V>, key: K, fresh: () => V): V {
  const found = totals.get(key);
  if (found !== undefined) return found;
  const started = fresh();
  totals.set(key, started);
  return started;
}

/** Counts, per criterion or place, the referrals that would gain it and those that would lose it. */
function countShifts<K extends string>(totals: Map<K, { gained: number; lost: number }>, before: readonly K[], after: readonly K[]): void {
  const entry = (key: K) => tally(totals, key, () => ({ gained: 0, lost: 0 }));
  for (const key of after) if (!before.includes(key)) entry(key).gained += 1;
  for (const key of before) if (!after.includes(key)) entry(key).lost += 1;
}

const shiftsOf = <K extends string>(totals: Map<K, { gained: number; lost: number }>): Array<Shift<K>> =>
  [...totals].map(([key, counts]) => ({ key, ...counts })).sort((a, b) => b.gained + b.lost - (a.gained + a.lost) || a.key.localeCompare(b.key));

export function previewChanges(current: RuleSet, draft: RuleSet, referrals: readonly RoutingInput[]): PreviewSummary {
  const totals = { changed: 0, riskChanged: 0, criteriaChanged: 0, routesChanged: 0 };
  const riskMoves = new Map<string, { from: RiskLevel; to: RiskLevel; count: number }>();
  const criteria = new Map<CriterionCode, { gained: number; lost: number }>();
  const routes = new Map<string, { gained: number; lost: number }>();
  for (const input of referrals) {
    const before = outcomeOf(current, input);
    const after = outcomeOf(draft, input);
    const riskChanged = before.riskLevel !== after.riskLevel;
    const criteriaChanged = !same(before.criteria, after.criteria);
    const routesChanged = !same(before.routes, after.routes);
    if (riskChanged) {
      tally(riskMoves, `${before.riskLevel}>${after.riskLevel}`, () => ({ from: before.riskLevel, to: after.riskLevel, count: 0 })).count += 1;
    }
    countShifts(criteria, before.criteria, after.criteria);
    countShifts(routes, before.routes, after.routes);
    totals.riskChanged += Number(riskChanged);
    totals.criteriaChanged += Number(criteriaChanged);
    totals.routesChanged += Number(routesChanged);
    totals.changed += Number(riskChanged || criteriaChanged || routesChanged);
  }
  return {
    considered: referrals.length,
    ...totals,
    riskMoves: [...riskMoves.values()].sort((a, b) => b.count - a.count),
    criteria: shiftsOf(criteria),
    routes: shiftsOf(routes),
  };
}

export function criterionLabel(code: CriterionCode): string {
  return CRITERION_LABELS[code];
}

export function splitRoute(route: string): { readonly kind: RouteKind; readonly organisationSlug: string } {
  const [kind, organisationSlug] = route.split('|') as [RouteKind, string];
  return { kind, organisationSlug };
}
