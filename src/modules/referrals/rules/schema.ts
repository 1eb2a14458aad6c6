import { z } from 'zod';
import { AGE_BANDS, CRITERIA, DASH_ANSWERS, ROUTE_KINDS, type AgeBand, type CriterionCode, type DashAnswer, type RiskLevel } from '../tables.js';

/**
 * The shape of a routing rule set: MARAC criteria with their thresholds and windows, risk bands, first-contact
 * targets and routes as data. A partnership edits these (seed/routing-rules.json, later the rules editor);
 * the engine (engine.ts) only interprets them, so no threshold lives in code.
 */

export const RISK_LEVELS = ['standard', 'medium', 'high'] as const satisfies readonly RiskLevel[];
export const NEEDS = ['housing', 'adult_care_support', 'safe_accommodation', 'mens_service', 'lgbt_service'] as const;
export type NeedCode = (typeof NEEDS)[number];
export const AREA_SERVICES = ['idva', 'outreach', 'safe_accommodation'] as const;
export type AreaServiceKind = (typeof AREA_SERVICES)[number];

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly maracCriteriaMet: boolean }
  | { readonly criterionMet: CriterionCode }
  | { readonly riskLevelAtLeast: RiskLevel }
  | { readonly need: NeedCode }
  | { readonly childrenInHousehold: true }
  /** The person at risk's age band is one of these (a rule never holds when the date of birth is not known). */
  | { readonly personAgeBand: readonly AgeBand[] }
  /** The person causing harm's age band is one of these (never holds when their date of birth is not known). */
  | { readonly personCausingHarmAgeBand: readonly AgeBand[] }
  /** One checklist question was answered so (a question left out of the checklist never holds). */
  | { readonly dashAnswer: { readonly question: string; readonly answer: DashAnswer } }
  | { readonly district: readonly string[] };

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an organisation slug: lower-case letters, digits and hyphens');
const districtCode = z.string().regex(/^[a-z0-9-]+$/, 'an area code from seed/areas.csv');

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ maracCriteriaMet: z.boolean() }),
    z.strictObject({ criterionMet: z.enum(CRITERIA) }),
    z.strictObject({ riskLevelAtLeast: z.enum(RISK_LEVELS) }),
    z.strictObject({ need: z.enum(NEEDS) }),
    z.strictObject({ childrenInHousehold: z.literal(true) }),
    z.strictObject({ personAgeBand: z.array(z.enum(AGE_BANDS)).min(1) }),
    z.strictObject({ personCausingHarmAgeBand: z.array(z.enum(AGE_BANDS)).min(1) }),
    z.strictObject({ dashAnswer: z.strictObject({ question: z.string().regex(/^q\d+$/, 'a checklist question key, like q9'), answer: z.enum(DASH_ANSWERS) }) }),
    z.strictObject({ district: z.array(districtCode).min(1) }),
  ]),
);

export const targetSchema = z.union([
  z.strictObject({ organisation: slug }),
  z.strictObject({ areaService: z.enum(AREA_SERVICES) }),
  z.strictObject({ safeguarding: z.enum(['children', 'adults']) }),
  z.strictObject({ housingTeam: z.literal(true) }),
]);
export type RouteTarget = z.infer<typeof targetSchema>;

export const routeRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'a rule id: lower-case letters, digits and hyphens'),
  kind: z.enum(ROUTE_KINDS),
  when: conditionSchema,
  target: targetSchema,
  /** Plain words for the referrer; `{district}` is replaced with the district's name. */
  summary: z.string().min(10),
});
export type RouteRule = z.infer<typeof routeRuleSchema>;

const checklistQuestion = z.string().regex(/^q([1-9]|1\d|2[0-4])$/, 'a checklist question, q1 to q24');
const months = z.number().int().min(1).max(60);
const workingDays = z.number().int().min(1).max(30);

export const ruleSetSchema = z
  .strictObject({
    maracArea: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(3),
    /** Area codes this MARAC covers; every district belongs to exactly one MARAC area across the file. */
    districts: z.array(districtCode).min(1),
    criteria: z.strictObject({
      visibleHighRisk: z.strictObject({ enabled: z.boolean(), minimumYes: z.number().int().min(1).max(24) }),
      professionalJudgement: z.strictObject({
        enabled: z.boolean(),
        /**
         * Checklist questions the area names as standalone indicators (weapons, strangulation, more than one person
         * causing harm): a "yes" to one, below the threshold and without a judgement, is pointed out to the referrer.
         * Absent from rules written before it; left out, nothing is pointed out.
         */
        indicators: z.array(checklistQuestion).optional(),
      }),
      potentialEscalation: z.strictObject({ enabled: z.boolean(), minimumEvents: z.number().int().min(1).max(50), windowMonths: months }),
      repeat: z.strictObject({ enabled: z.boolean(), windowMonths: months }),
      suicideSelfHarm: z.strictObject({
        enabled: z.boolean(),
        /**
         * Checklist questions whose "yes" prompts the referrer to weigh this risk and is named in the explanation.
         * The criterion itself is the referrer's judgement of a high risk, never a checklist answer alone.
         */
        questions: z.array(checklistQuestion).min(1),
        /**
         * The abuse counts as current when an incident falls within this window (or no dates are known yet). Null:
         * the referrer's judgement of a risk now is taken as current abuse, as Kent & Medway's criterion is written.
         */
        currentAbuseWithinMonths: months.nullable(),
      }),
    }),
    /** "Yes" counts from which a referral is at least medium or high risk. */
    riskBands: z.strictObject({ medium: z.number().int().min(1).max(24), high: z.number().int().min(1).max(24) }),
    firstContactWorkingDays: z.strictObject({ standard: workingDays, medium: workingDays, high: workingDays }),
    duplicateWindowMonths: months,
    safeguarding: z.strictObject({ children: slug, adults: slug }),
    areaServices: z.record(districtCode, z.strictObject({ idva: slug, outreach: slug, safe_accommodation: slug })),
    housingTeams: z.record(districtCode, slug),
    routes: z.array(routeRuleSchema).min(1),
  })
  .superRefine((rules, ctx) => {
    if (rules.riskBands.medium > rules.riskBands.high) ctx.addIssue({ code: 'custom', path: ['riskBands', 'medium'], message: 'The medium band must start at or below the high band.' });
    const ids = new Set<string>();
    rules.routes.forEach((route, index) => {
      if (ids.has(route.id)) ctx.addIssue({ code: 'custom', path: ['routes', index, 'id'], message: `Rule id "${route.id}" is used twice.` });
      ids.add(route.id);
    });
    for (const district of rules.districts) {
      if (!rules.areaServices[district]) ctx.addIssue({ code: 'custom', path: ['areaServices', district], message: `No commissioned services are set for district "${district}".` });
      if (!rules.housingTeams[district]) ctx.addIssue({ code: 'custom', path: ['housingTeams', district], message: `No housing team is set for district "${district}".` });
    }
  });
export type RuleSet = z.infer<typeof ruleSetSchema>;

export const organisationSeedSchema = z.strictObject({ slug, name: z.string().min(3), kind: z.string().min(2), area: districtCode.nullable() });

export const routingFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    /** Receiving organisations the rules point at that the partnership's organisation list may not hold yet. */
    organisations: z.array(organisationSeedSchema),
    ruleSets: z.array(ruleSetSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const owner = new Map<string, string>();
    file.ruleSets.forEach((ruleSet, index) => {
      for (const district of ruleSet.districts) {
        const other = owner.get(district);
        if (other) ctx.addIssue({ code: 'custom', path: ['ruleSets', index, 'districts'], message: `District "${district}" is in both ${other} and ${ruleSet.maracArea}.` });
        owner.set(district, ruleSet.maracArea);
      }
    });
  });
export type RoutingFile = z.infer<typeof routingFileSchema>;

/** Every organisation slug a rule set can route to, so a missing organisation is found when rules are saved. */
export function targetSlugs(rules: RuleSet): string[] {
  const slugs = new Set<string>([rules.safeguarding.children, rules.safeguarding.adults, ...Object.values(rules.housingTeams)]);
  for (const services of Object.values(rules.areaServices)) for (const value of Object.values(services)) slugs.add(value);
  for (const route of rules.routes) if ('organisation' in route.target) slugs.add(route.target.organisation);
  return [...slugs].sort();
}
