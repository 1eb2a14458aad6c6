import type { AgeBand, CriterionCode, DashAnswer, JudgedRiskAnswer, RiskLevel, RouteKind, TriState } from '../tables.js';
import { questionOf } from '../checklist.js';
import { londonDay } from '../../../platform/time/london.js';
import { dayBefore, withinMonths } from './dates.js';
import { RISK_LEVELS, type Condition, type NeedCode, type RouteRule, type RuleSet } from './schema.js';
import { plural } from '../../../platform/views/counted.js';

/**
 * The routing engine: a pure function from a referral's answers and a rule set to the MARAC criteria met, the
 * risk level and the routes, each route with the rules that fired and why in plain words. Everything that
 * varies between areas is in the rule set; nothing here reads a database or a clock.
 */

export interface RoutingInput {
  readonly district: string;
  /** The district's name, for plain-words explanations. */
  readonly districtName: string;
  /** When the referral is made (ISO timestamp); windows count back from this day. */
  readonly referredAt: string;
  readonly dash: Readonly<Record<string, DashAnswer>>;
  readonly professionalJudgement: { readonly applies: boolean; readonly reasons: string | null };
  /** The referrer's answer: is the person at high risk of serious harm from the person causing harm? */
  readonly seriousHarmRisk: JudgedRiskAnswer;
  /** The referrer's answer: is the person at high risk of suicide or self-harm because of the abuse? */
  readonly suicideSelfHarmRisk: JudgedRiskAnswer;
  /** Known domestic abuse incidents (YYYY-MM-DD). */
  readonly incidentDates: readonly string[];
  /**
   * Incidents recorded on earlier referrals about the same person at risk, whoever caused the harm: events reported by
   * other agencies count towards potential escalation ("not only police call-outs").
   */
  readonly earlierIncidentDates: readonly string[];
  readonly childrenInHousehold: TriState;
  /** The person at risk's age band when referred; null when their date of birth is not known. */
  readonly personAgeBand: AgeBand | null;
  /** The person causing harm's age band when referred (a child harming a parent, say); null when not known. */
  readonly personCausingHarmAgeBand: AgeBand | null;
  readonly needs: readonly NeedCode[];
  /** Earlier MARAC referrals for the same person at risk AND the same person causing harm (those in the window count). */
  readonly earlierMaracReferrals: readonly EarlierMaracReferral[];
}

export interface EarlierMaracReferral {
  /** When it was made (ISO timestamp). */
  readonly submittedAt: string;
  /** The incidents it reported (YYYY-MM-DD): reporting one of them again is not a new instance of abuse. */
  readonly incidentDates: readonly string[];
  /** The MARAC area it went to; another area's makes a repeat a transfer between MARACs. */
  readonly maracArea?: string;
  /** That area's name, for the explanation. */
  readonly maracName?: string;
}

export interface CriterionResult {
  readonly criterion: CriterionCode;
  readonly met: boolean;
  readonly explanation: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface RuleFired {
  readonly ruleId: string;
  readonly summary: string;
  readonly because: readonly string[];
}

export interface RouteDecision {
  readonly kind: RouteKind;
  readonly organisationSlug: string;
  readonly rulesFired: readonly RuleFired[];
}

export interface RoutingDecision {
  readonly score: number;
  readonly riskLevel: RiskLevel;
  readonly maracCriteriaMet: boolean;
  /** Whether a route to MARAC fired: the rules can keep a case that meets a criterion from MARAC (a person under 16). */
  readonly referredToMarac: boolean;
  /** Every criterion the rule set uses, met or not, in a fixed order. */
  readonly criteria: readonly CriterionResult[];
  readonly routes: readonly RouteDecision[];
  readonly firstContactWorkingDays: number;
}

export const CRITERION_LABELS: Record<CriterionCode, string> = {
  visible_high_risk: 'Visible high risk',
  professional_judgement: 'Professional judgement',
  potential_escalation: 'Potential escalation',
  repeat: 'Repeat referral',
  suicide_self_harm: 'High risk of serious harm, or of suicide or self-harm',
};

export const NEED_LABELS: Record<NeedCode, string> = {
  housing: 'a housing need',
  adult_care_support: 'care and support needs (an adult at risk)',
  safe_accommodation: 'a need for safe accommodation',
  mens_service: "that a men's service would suit them best",
  lgbt_service: 'that an LGBT+ service would suit them best',
};

export function countYes(dash: Readonly<Record<string, DashAnswer>>): number {
  return Object.values(dash).filter((answer) => answer === 'yes').length;
}

export function routeReferral(rules: RuleSet, input: RoutingInput): RoutingDecision {
  const score = countYes(input.dash);
  const assessed = assessCriteria(rules, input, score);
  const met = new Set(assessed.filter((result) => result.met).map((result) => result.criterion));
  const maracCriteriaMet = met.size > 0;
  const riskLevel = maracCriteriaMet ? 'high' : bandOf(rules, score);
  const facts = factsOf(input, met, riskLevel);
  const routes = decideRoutes(rules, facts);
  const referredToMarac = routes.some((route) => route.kind === 'marac');
  const criteria = maracCriteriaMet
    ? referredToMarac
      ? assessed
      : withMaracRuledOut(assessed)
    : judgementWouldReferToMarac(rules, facts)
      ? withIndicatorsNoted(assessed, rules.criteria.professionalJudgement.indicators ?? [], input.dash, rules.name)
      : assessed;
  return { score, riskLevel, maracCriteriaMet, referredToMarac, criteria, routes, firstContactWorkingDays: rules.firstContactWorkingDays[riskLevel] };
}

/**
 * Whether a referral that meets no criterion would go to MARAC on professional judgement: not, as seeded, for a person
 * under 16, whom the rules send to children's safeguarding instead.
 */
function judgementWouldReferToMarac(rules: RuleSet, facts: Facts): boolean {
  const judged: Facts = { ...facts, maracCriteriaMet: true, met: new Set(['professional_judgement']), riskLevel: 'high' };
  return decideRoutes(rules, judged).some((route) => route.kind === 'marac');
}

/** Whether professional judgement would send this referral to MARAC, for the check page's prompt to weigh it. */
export function wouldGoToMaracOnJudgement(rules: RuleSet, input: RoutingInput): boolean {
  return judgementWouldReferToMarac(rules, factsOf(input, new Set(), 'standard'));
}

function factsOf(input: RoutingInput, met: ReadonlySet<CriterionCode>, riskLevel: RiskLevel): Facts {
  const { needs, childrenInHousehold, personAgeBand, personCausingHarmAgeBand, dash, district, districtName } = input;
  return { maracCriteriaMet: met.size > 0, met, riskLevel, needs: new Set(needs), children: childrenInHousehold === 'yes', ageBand: personAgeBand, harmAgeBand: personCausingHarmAgeBand, dash, district, districtName };
}

/** A criterion met, when the rules keep the case from MARAC all the same (a person under 16): its words must not promise MARAC. */
function withMaracRuledOut(results: readonly CriterionResult[]): CriterionResult[] {
  const note = ' Even so, this referral does not go to MARAC: the routes say why, and who leads on the person’s safety instead.';
  return results.map((result) => (result.met ? { ...result, explanation: result.explanation + note } : result));
}

function bandOf(rules: RuleSet, score: number): RiskLevel {
  if (score >= rules.riskBands.high) return 'high';
  if (score >= rules.riskBands.medium) return 'medium';
  return 'standard';
}

export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/**
 * Standalone indicators answered "yes" on a referral that meets no criterion are pointed out beside professional
 * judgement, which they can justify: the decision stays the referrer's. Where another criterion sends it to MARAC
 * already, there is nothing to point out.
 */
function withIndicatorsNoted(results: readonly CriterionResult[], indicators: readonly string[], dash: Readonly<Record<string, DashAnswer>>, area: string): CriterionResult[] {
  const answeredYes = indicators.filter((question) => dash[question] === 'yes');
  if (answeredYes.length === 0 || results.some((result) => result.met)) return [...results];
  const which = answeredYes.map(questionWords).join(' and ');
  const note = ` The checklist says “yes” to ${which}: in ${area} ${answeredYes.length === 1 ? 'this is a standalone indicator' : 'these are standalone indicators'}, which can justify a referral on professional judgement whatever the score.`;
  return results.map((result) => (result.criterion === 'professional_judgement' ? { ...result, explanation: result.explanation + note } : result));
}

/**
 * "Not known" is never read as "no" (SafeLives): below the threshold, say how many answers are still open and
 * whether they could reach it, so the referrer asks again when it is safe to.
 */
function notKnownNote(notKnown: number, yesStillNeeded: number): string {
  if (notKnown === 0) return '';
  const open = ` ${plural(notKnown, 'answer was', 'answers were')} “not known”`;
  const askAgain = `ask ${notKnown === 1 ? 'it' : 'them'} again when it is safe to`;
  return notKnown >= yesStillNeeded
    ? `${open}: if ${notKnown === 1 ? 'it is' : `${String(yesStillNeeded)} of them ${yesStillNeeded === 1 ? 'is' : 'are'}`} “yes”, the score alone would send this referral to MARAC. ${askAgain.charAt(0).toUpperCase()}${askAgain.slice(1)}.`
    : `${open}; ${askAgain}, as each “yes” adds to the score.`;
}

function assessCriteria(rules: RuleSet, input: RoutingInput, score: number): CriterionResult[] {
  const { criteria } = rules;
  // Windows count UK calendar days, as the referrer wrote the incident dates.
  const referredOn = londonDay(new Date(input.referredAt));
  const area = rules.name;
  const results: CriterionResult[] = [];

  if (criteria.visibleHighRisk.enabled) {
    const threshold = criteria.visibleHighRisk.minimumYes;
    const met = score >= threshold;
    const notKnown = Object.values(input.dash).filter((answer) => answer === 'not_known').length;
    results.push({
      criterion: 'visible_high_risk',
      met,
      explanation: met
        ? `${plural(score, 'question was', 'questions were')} answered “yes”. In ${area} a referral with ${String(threshold)} or more “yes” answers goes to MARAC.`
        : `${plural(score, 'question was', 'questions were')} answered “yes”, fewer than the ${String(threshold)} that send a referral to MARAC on the score alone.${notKnownNote(notKnown, threshold - score)}`,
      details: { yesCount: score, threshold, notKnownCount: notKnown },
    });
  }

  if (criteria.professionalJudgement.enabled) {
    const reasons = input.professionalJudgement.reasons?.trim() ?? '';
    const met = input.professionalJudgement.applies && reasons.length > 0;
    results.push({
      criterion: 'professional_judgement',
      met,
      explanation: met
        ? 'The referrer judged the risk to be high and wrote down their reasons. Professional judgement can send a referral to MARAC whatever the score; it never lowers a score.'
        : 'The referrer did not refer on professional judgement.',
      details: { applies: input.professionalJudgement.applies },
    });
  }

  if (criteria.potentialEscalation.enabled) {
    const { minimumEvents, windowMonths } = criteria.potentialEscalation;
    const inWindow = (days: readonly string[]) => days.filter((day) => withinMonths(day, referredOn, windowMonths));
    // Every incident this referral gives is an event, two on one day included. An earlier referral's day that this one
    // also gives, or that another earlier referral gave, is counted once: agencies describing the same incident.
    const reportedNow = inWindow(input.incidentDates);
    const fromEarlier = new Set(inWindow(input.earlierIncidentDates).filter((day) => !reportedNow.includes(day))).size;
    const recent = reportedNow.length + fromEarlier;
    const met = recent >= minimumEvents;
    const counted = `${plural(recent, 'domestic abuse incident was', 'domestic abuse incidents were')} recorded`;
    const source = fromEarlier > 0 ? ` (${plural(fromEarlier, 'of them on an earlier referral', 'of them on earlier referrals')} about the same person)` : '';
    const undated = input.incidentDates.length === 0 && recent === 0;
    results.push({
      criterion: 'potential_escalation',
      met,
      explanation: met
        ? `${counted} in the ${String(windowMonths)} months before this referral${source}. In ${area}, ${String(minimumEvents)} or more in ${String(windowMonths)} months means the abuse may be escalating.`
        : undated
          ? `No incident dates were given, and no earlier referral about the same person recorded any in the last ${String(windowMonths)} months. Give the dates of the incidents you know of: ${String(minimumEvents)} or more in ${String(windowMonths)} months would meet this criterion.`
          : `${counted} in the last ${String(windowMonths)} months${source}; ${String(minimumEvents)} or more would meet this criterion.`,
      details: { incidentsInWindow: recent, fromEarlierReferrals: fromEarlier, minimumEvents, windowMonths },
    });
  }

  if (criteria.repeat.enabled) {
    const { windowMonths } = criteria.repeat;
    const repeat = assessRepeat(input, referredOn, windowMonths, rules);
    results.push({ criterion: 'repeat', met: repeat.met, explanation: repeat.explanation, details: { windowMonths, repeatOf: repeat.repeatOf ?? null } });
  }

  if (criteria.suicideSelfHarm.enabled) {
    const { questions, currentAbuseWithinMonths } = criteria.suicideSelfHarm;
    // "Not known" is never read as "no": with no incident dates yet, the abuse being referred is taken as current.
    const assumedCurrent = input.incidentDates.length === 0;
    const current = currentAbuseWithinMonths === null || assumedCurrent || input.incidentDates.some((day) => withinMonths(day, referredOn, currentAbuseWithinMonths));
    const judgedHigh = input.seriousHarmRisk === 'yes' || input.suicideSelfHarmRisk === 'yes';
    const met = judgedHigh && current;
    results.push({
      criterion: 'suicide_self_harm',
      met,
      explanation: localCriterionExplanation({
        current,
        assumedCurrent,
        answers: { seriousHarm: input.seriousHarmRisk, suicideSelfHarm: input.suicideSelfHarmRisk },
        area,
        currentAbuseWithinMonths,
        promptsAnsweredYes: questions.filter((question) => input.dash[question] === 'yes'),
      }),
      details: { judgedHighRisk: judgedHigh, seriousHarm: input.seriousHarmRisk === 'yes', suicideSelfHarm: input.suicideSelfHarmRisk === 'yes', abuseCurrent: current, prompts: questions.join(',') },
    });
  }
  return results;
}

/**
 * A repeat is a further instance of abuse between the same two people within the window after a MARAC referral of
 * theirs, whatever the score: the incident's date decides, so abuse disclosed late still counts if it happened within
 * the window. An incident dated before every such referral, or already reported on one of them (a second agency
 * describing the same incident), is not a further instance. With no incident dates, the abuse being referred is taken
 * as new, happening now, as the criterion intends: agencies "flag and tag" so a repeat is referred whatever it scores.
 */
function assessRepeat(input: RoutingInput, referredOn: string, windowMonths: number, rules: Pick<RuleSet, 'maracArea' | 'name'>): RepeatAssessment {
  const window = `${String(windowMonths)} months`;
  const referrals = input.earlierMaracReferrals.map((referral) => ({ ...referral, day: londonDay(new Date(referral.submittedAt)) })).filter((referral) => referral.day <= referredOn);
  const days = referrals.map((referral) => referral.day);
  // The latest MARAC referral whose window (from its day to the same day `windowMonths` later) holds this day.
  const lastBefore = (day: string) => referrals.filter((referral) => withinMonths(referral.day, day, windowMonths)).sort((a, b) => b.day.localeCompare(a.day))[0];
  if (input.incidentDates.length === 0) {
    const undated = assessRepeatUndated(days.filter((day) => withinMonths(day, referredOn, windowMonths)), referredOn, window);
    const repeated = lastBefore(referredOn);
    return { ...undated, explanation: undated.met ? undated.explanation + transferNote(repeated, rules) : undated.explanation, repeatOf: repeated?.submittedAt };
  }
  const inAWindow = (incident: string) => lastBefore(incident) !== undefined;
  const earlier = 'The same person was referred to MARAC about the same person causing harm';
  const within = input.incidentDates.filter(inAWindow);
  if (within.length === 0) {
    return {
      met: false,
      explanation:
        days.length === 0
          ? `No MARAC referral for the same person and the same person causing harm was found in the ${window} before any incident on this referral.`
          : `${earlier}, but every incident on this referral happened before that referral or more than ${window} after it. A repeat is further abuse within ${window} of the last MARAC referral.`,
    };
  }
  const alreadyReported = new Set(input.earlierMaracReferrals.flatMap((referral) => referral.incidentDates));
  const further = within.filter((incident) => !alreadyReported.has(incident)).sort();
  if (further.length === 0) {
    return { met: false, explanation: `${earlier}, but the incidents on this referral since then were already reported on a MARAC referral. A repeat needs a further incident since then.` };
  }
  const repeated = lastBefore(further[further.length - 1] ?? '');
  return {
    met: true,
    explanation: `${earlier}, and this referral reports a further incident within ${window} of that referral, so it is a repeat referral whatever the score.${transferNote(repeated, rules)}`,
    repeatOf: repeated?.submittedAt,
  };
}

/** A repeat of a case another area's MARAC heard: the person has moved, and this area's MARAC takes the case on. */
function transferNote(repeated: EarlierMaracReferral | undefined, rules: Pick<RuleSet, 'maracArea' | 'name'>): string {
  if (!repeated?.maracArea || repeated.maracArea === rules.maracArea) return '';
  return ` That referral went to the ${repeated.maracName ?? repeated.maracArea} MARAC: the person has moved, so the case transfers to the ${rules.name} MARAC.`;
}

interface RepeatAssessment {
  readonly met: boolean;
  readonly explanation: string;
  /** When the MARAC referral this one repeats was made (the latest whose window holds the further abuse). */
  readonly repeatOf?: string | undefined;
}

/** No incident dates: the abuse is taken as happening now, so a MARAC referral in the window before today makes a repeat. */
function assessRepeatUndated(days: readonly string[], referredOn: string, window: string): { readonly met: boolean; readonly explanation: string } {
  if (days.length === 0) return { met: false, explanation: `No MARAC referral for the same person and the same person causing harm was found in the last ${window}.` };
  const earlier = `The same person was referred to MARAC about the same person causing harm in the last ${window}`;
  // The same referral sent again, or a second agency referring the same incident, is not a further instance of abuse.
  if (days.some((day) => day >= dayBefore(referredOn))) {
    return {
      met: false,
      explanation: `${earlier}, ${days.includes(referredOn) ? 'today' : 'yesterday'}. No incident dates were given, so this may be the same abuse referred again: it is not counted as a repeat. If there has been a further incident since, give its date.`,
    };
  }
  return { met: true, explanation: `${earlier}. No incident dates were given, so the abuse being referred is taken as new: this is a repeat referral whatever the score.` };
}

type JudgedRisk = 'seriousHarm' | 'suicideSelfHarm';

interface LocalCriterionFacts {
  readonly current: boolean;
  /** No incident dates were given, so the abuse being referred is taken as current. */
  readonly assumedCurrent: boolean;
  readonly answers: Readonly<Record<JudgedRisk, JudgedRiskAnswer>>;
  readonly area: string;
  readonly currentAbuseWithinMonths: number | null;
  /** Checklist questions answered "yes" that prompt the judgement of suicide or self-harm. */
  readonly promptsAnsweredYes: readonly string[];
}

const RISK_OF: Readonly<Record<JudgedRisk, string>> = {
  seriousHarm: 'serious harm from the person causing harm',
  suicideSelfHarm: 'suicide or self-harm because of the abuse',
};

/** What the referrer said of a risk, in words that follow "The referrer". */
const REFERRER_SAID: Readonly<Record<JudgedRiskAnswer, (risk: string) => string>> = {
  yes: (risk) => `judged the person to be at high risk of ${risk}`,
  no: (risk) => `did not judge the person to be at high risk of ${risk}`,
  not_known: (risk) => `did not know whether the person is at high risk of ${risk}`,
  not_given: (risk) => `did not say whether the person is at high risk of ${risk}`,
};

/**
 * Kent & Medway's local criterion is a judgement ("current abuse with high risk of harm from the perpetrator or of
 * suicide or self-harm because of the abuse"), so it rests on the referrer's own answers, one for each risk; a
 * checklist "yes" about low mood or suicidal thoughts only prompts the second, and is named so the reader sees it
 * was weighed.
 */
function localCriterionExplanation(facts: LocalCriterionFacts): string {
  const risks = (Object.keys(RISK_OF) as JudgedRisk[]);
  const judgedHigh = risks.filter((risk) => facts.answers[risk] === 'yes');
  if (judgedHigh.length === 0) {
    const prompts = facts.promptsAnsweredYes.map((question) => `question ${question.slice(1)} (${questionOf(question)?.topic.toLowerCase() ?? 'see the checklist'})`);
    const said = risks.map((risk) => REFERRER_SAID[facts.answers[risk]](RISK_OF[risk]));
    return `The referrer ${said.join(', and ')}.` + (prompts.length ? ` The checklist answer “yes” to ${prompts.join(' and ')} does not meet this criterion on its own.` : '');
  }
  const judged = `The referrer ${REFERRER_SAID.yes(judgedHigh.map((risk) => RISK_OF[risk]).join(' and of '))}`;
  if (!facts.current) {
    return `${judged}, but no domestic abuse incident was recorded in the last ${String(facts.currentAbuseWithinMonths ?? 0)} months, so the abuse is not current. If it is still going on (coercive control, say, with no recent incident of violence), give the date it last happened, or refer on professional judgement.`;
  }
  const currency =
    facts.currentAbuseWithinMonths === null
      ? 'that judgement is of the risk now, so the abuse is taken as current'
      : facts.assumedCurrent
        ? 'no incident dates were given, so the abuse being referred is taken as current'
        : 'the abuse is current';
  return `${judged}, and ${currency}. In ${facts.area} that goes to MARAC.`;
}

interface Facts {
  readonly maracCriteriaMet: boolean;
  readonly met: ReadonlySet<CriterionCode>;
  readonly riskLevel: RiskLevel;
  readonly needs: ReadonlySet<NeedCode>;
  readonly children: boolean;
  readonly ageBand: AgeBand | null;
  readonly harmAgeBand: AgeBand | null;
  readonly dash: Readonly<Record<string, DashAnswer>>;
  readonly district: string;
  readonly districtName: string;
}

const AGE_BAND_WORDS: Record<AgeBand, string> = { under_16: 'under 16', '16_17': 'aged 16 or 17', adult: 'aged 18 or over' };
const ANSWER_WORDS: Record<DashAnswer, string> = { yes: 'yes', no: 'no', not_known: 'not known' };

/** "question 9 (pregnancy or new baby)": the checklist's own topic, as the referrer saw it. */
export function questionWords(key: string): string {
  const topic = questionOf(key)?.topic;
  return `question ${key.slice(1)}${topic ? ` (${topic.toLowerCase()})` : ''}`;
}

function decideRoutes(rules: RuleSet, facts: Facts): RouteDecision[] {
  const routes = new Map<string, { kind: RouteKind; organisationSlug: string; rulesFired: RuleFired[] }>();
  for (const rule of rules.routes) {
    if (!holds(rule.when, facts)) continue;
    const organisationSlug = resolveTarget(rules, rule, facts.district);
    const key = `${rule.kind}|${organisationSlug}`;
    const fired: RuleFired = { ruleId: rule.id, summary: rule.summary.replaceAll('{district}', facts.districtName), because: explain(rule.when, facts) };
    const existing = routes.get(key);
    if (existing) existing.rulesFired.push(fired);
    else routes.set(key, { kind: rule.kind, organisationSlug, rulesFired: [fired] });
  }
  return [...routes.values()];
}

function resolveTarget(rules: RuleSet, rule: RouteRule, district: string): string {
  const { target } = rule;
  if ('organisation' in target) return target.organisation;
  if ('safeguarding' in target) return rules.safeguarding[target.safeguarding];
  if ('housingTeam' in target) return required(rules.housingTeams[district], `housing team for ${district}`);
  return required(rules.areaServices[district]?.[target.areaService], `${target.areaService} service for ${district}`);
}

function required(value: string | undefined, what: string): string {
  // The schema checks every district has its services, so this only fires for a district outside the rule set.
  if (value === undefined) throw new Error(`The rule set has no ${what}.`);
  return value;
}

export function holds(condition: Condition, facts: Facts): boolean {
  if ('all' in condition) return condition.all.every((part) => holds(part, facts));
  if ('any' in condition) return condition.any.some((part) => holds(part, facts));
  if ('not' in condition) return !holds(condition.not, facts);
  if ('maracCriteriaMet' in condition) return facts.maracCriteriaMet === condition.maracCriteriaMet;
  if ('criterionMet' in condition) return facts.met.has(condition.criterionMet);
  if ('riskLevelAtLeast' in condition) return riskRank(facts.riskLevel) >= riskRank(condition.riskLevelAtLeast);
  if ('need' in condition) return facts.needs.has(condition.need);
  if ('childrenInHousehold' in condition) return facts.children;
  if ('personAgeBand' in condition) return facts.ageBand !== null && condition.personAgeBand.includes(facts.ageBand);
  if ('personCausingHarmAgeBand' in condition) return facts.harmAgeBand !== null && condition.personCausingHarmAgeBand.includes(facts.harmAgeBand);
  if ('dashAnswer' in condition) return facts.dash[condition.dashAnswer.question] === condition.dashAnswer.answer;
  return condition.district.includes(facts.district);
}

/** The plain-words reasons a (true) condition holds, one line per fact. */
function explain(condition: Condition, facts: Facts): string[] {
  if ('all' in condition) return condition.all.flatMap((part) => explain(part, facts));
  if ('any' in condition) return condition.any.filter((part) => holds(part, facts)).flatMap((part) => explain(part, facts));
  if ('not' in condition) return [explainNegation(condition.not, facts)];
  if ('maracCriteriaMet' in condition) return [condition.maracCriteriaMet ? 'at least one MARAC criterion is met' : 'no MARAC criterion is met'];
  if ('criterionMet' in condition) return [`the “${CRITERION_LABELS[condition.criterionMet]}” criterion is met`];
  if ('riskLevelAtLeast' in condition) return [`the risk level is ${condition.riskLevelAtLeast} or higher`];
  if ('need' in condition) return [`the referral records ${NEED_LABELS[condition.need]}`];
  if ('childrenInHousehold' in condition) return ['children live in the household'];
  if ('personAgeBand' in condition && facts.ageBand) return [`the person at risk is ${AGE_BAND_WORDS[facts.ageBand]}`];
  if ('personCausingHarmAgeBand' in condition && facts.harmAgeBand) return [`the person causing harm is ${AGE_BAND_WORDS[facts.harmAgeBand]}`];
  if ('dashAnswer' in condition) return [`${questionWords(condition.dashAnswer.question)} was answered “${ANSWER_WORDS[condition.dashAnswer.answer]}”`];
  return [`the person lives in ${facts.districtName}`];
}

function explainNegation(condition: Condition, facts: Facts): string {
  if ('need' in condition) return `the referral does not record ${NEED_LABELS[condition.need]}`;
  if ('childrenInHousehold' in condition) return 'no children were recorded in the household';
  if ('personAgeBand' in condition) return facts.ageBand ? `the person at risk is ${AGE_BAND_WORDS[facts.ageBand]}` : 'the person at risk’s age is not known (no date of birth was given), so they are taken to be an adult';
  if ('personCausingHarmAgeBand' in condition) return facts.harmAgeBand ? `the person causing harm is ${AGE_BAND_WORDS[facts.harmAgeBand]}` : 'the person causing harm’s age is not known';
  if ('dashAnswer' in condition) return `${questionWords(condition.dashAnswer.question)} was not answered “${ANSWER_WORDS[condition.dashAnswer.answer]}”`;
  if ('maracCriteriaMet' in condition) return condition.maracCriteriaMet ? 'no MARAC criterion is met' : 'at least one MARAC criterion is met';
  if ('criterionMet' in condition) return `the “${CRITERION_LABELS[condition.criterionMet]}” criterion is not met`;
  if ('riskLevelAtLeast' in condition) return `the risk level is below ${condition.riskLevelAtLeast}`;
  if ('district' in condition) return `the person lives in ${facts.districtName}, outside the districts this rule names`;
  return 'a combination of conditions does not apply';
}
