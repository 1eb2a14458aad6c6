import { describe, expect, it } from 'vitest';
import { routeReferral, type RoutingInput } from './engine.js';
import { readRoutingFile } from './seed-file.js';
import type { RuleSet } from './schema.js';
import { ruleSetSchema } from './schema.js';

const file = readRoutingFile();
const kent = ruleSetFor('kent');
const medway = ruleSetFor('medway');

function ruleSetFor(area: string): RuleSet {
  const found = file.ruleSets.find((ruleSet) => ruleSet.maracArea === area);
  if (!found) throw new Error(`no ${area} rules`);
  return found;
}

/** The rules with a window an incident must fall within for the abuse to count as current (an area may set one). */
function withCurrentAbuseWindow(rules: RuleSet, months: number): RuleSet {
  return ruleSetSchema.parse({ ...rules, criteria: { ...rules.criteria, suicideSelfHarm: { ...rules.criteria.suicideSelfHarm, currentAbuseWithinMonths: months } } });
}

const REFERRED_AT = '2026-11-25T10:00:00.000Z';

/** A referral with every answer "no", in Maidstone, nothing else recorded; each test changes what it is about. */
const YES_ORDER = [...Array.from({ length: 24 }, (_, index) => index + 1).filter((q) => q !== 9), 9];

function referral(change: Partial<RoutingInput> & { yes?: number; yesTo?: string[] } = {}): RoutingInput {
  const { yes = 0, yesTo = [], ...rest } = change;
  const dash: Record<string, 'yes' | 'no' | 'not_known'> = {};
  for (let q = 1; q <= 24; q += 1) dash[`q${String(q)}`] = 'no';
  // Question 9 (pregnancy or a new baby) is counted last, so a number of "yes" answers does not also route to children's safeguarding.
  for (const q of YES_ORDER.slice(0, yes)) dash[`q${String(q)}`] = 'yes';
  for (const key of yesTo) dash[key] = 'yes';
  return {
    district: 'maidstone',
    districtName: 'Maidstone',
    referredAt: REFERRED_AT,
    dash,
    professionalJudgement: { applies: false, reasons: null },
    seriousHarmRisk: 'no',
    suicideSelfHarmRisk: 'no',
    incidentDates: [],
    earlierIncidentDates: [],
    childrenInHousehold: 'no',
    personAgeBand: 'adult',
    personCausingHarmAgeBand: 'adult',
    needs: [],
    earlierMaracReferrals: [],
    ...rest,
  };
}

const met = (rules: RuleSet, input: RoutingInput) =>
  routeReferral(rules, input)
    .criteria.filter((c) => c.met)
    .map((c) => c.criterion);
const routes = (rules: RuleSet, input: RoutingInput) => routeReferral(rules, input).routes.map((r) => `${r.kind}:${r.organisationSlug}`);

describe('MARAC criteria, each on its own (Kent & Medway values from dash-marac.md)', () => {
  it('visible high risk: 14 or more "yes" meets it, 13 does not', () => {
    expect(met(kent, referral({ yes: 14 }))).toEqual(['visible_high_risk']);
    // The first 13 questions include question 5 (depressed or suicidal thoughts): that answer alone routes nowhere.
    expect(met(kent, referral({ yes: 13 }))).toEqual([]);
    expect(routeReferral(kent, referral({ yes: 13 })).riskLevel).toBe('medium');
    expect(routeReferral(kent, referral({ yes: 14 })).criteria[0]?.explanation).toContain('14 questions were answered “yes”');
  });

  it('only "yes" counts: "not known" answers are kept but never scored', () => {
    const input = referral({ yes: 13 });
    const withUnknown = { ...input, dash: { ...input.dash, q23: 'not_known' as const, q24: 'not_known' as const } };
    expect(routeReferral(kent, withUnknown).score).toBe(13);
    // Never read as "no": the explanation says they could reach the threshold, so the referrer asks again.
    expect(routeReferral(kent, withUnknown).criteria[0]?.explanation).toContain('2 answers were “not known”: if 1 of them is “yes”, the score alone would send this referral to MARAC');
    const far = { ...referral({ yes: 3 }), dash: { ...referral({ yes: 3 }).dash, q20: 'not_known' as const } };
    expect(routeReferral(kent, far).criteria[0]?.explanation).toContain('1 answer was “not known”; ask it again when it is safe to, as each “yes” adds to the score');
    expect(routeReferral(kent, referral({ yes: 3 })).criteria[0]?.explanation).not.toContain('not known');
  });

  it('professional judgement with written reasons meets it at any score; without reasons it does not', () => {
    expect(met(kent, referral({ professionalJudgement: { applies: true, reasons: 'Strangulation last week; extreme fear.' } }))).toEqual(['professional_judgement']);
    expect(met(kent, referral({ professionalJudgement: { applies: true, reasons: '   ' } }))).toEqual([]);
  });

  it('potential escalation: 3 domestic abuse events in 6 months in Kent; an event 7 months ago does not count', () => {
    expect(met(kent, referral({ incidentDates: ['2026-11-20', '2026-09-01', '2026-06-01'] }))).toEqual(['potential_escalation']);
    expect(met(kent, referral({ incidentDates: ['2026-11-20', '2026-09-01', '2026-04-20'] }))).toEqual([]);
    // Two incidents on one day are two events.
    expect(met(kent, referral({ incidentDates: ['2026-11-20', '2026-11-20', '2026-09-01'] }))).toEqual(['potential_escalation']);
  });

  it('potential escalation with no incident dates asks for them, rather than saying none happened', () => {
    const escalation = (input: Partial<RoutingInput>) => routeReferral(kent, referral(input)).criteria.find((c) => c.criterion === 'potential_escalation')?.explanation;
    expect(escalation({})).toBe('No incident dates were given, and no earlier referral about the same person recorded any in the last 6 months. Give the dates of the incidents you know of: 3 or more in 6 months would meet this criterion.');
    expect(escalation({ incidentDates: ['2026-11-20'] })).toBe('1 domestic abuse incident was recorded in the last 6 months; 3 or more would meet this criterion.');
  });

  it('potential escalation counts incidents another agency reported on an earlier referral, each day once, and says so', () => {
    const acrossAgencies = routeReferral(kent, referral({ incidentDates: ['2026-11-20'], earlierIncidentDates: ['2026-09-01', '2026-11-20', '2026-07-01'] }));
    const escalation = acrossAgencies.criteria.find((c) => c.criterion === 'potential_escalation');
    expect(escalation?.met).toBe(true);
    expect(escalation?.details).toMatchObject({ incidentsInWindow: 3, fromEarlierReferrals: 2 });
    expect(escalation?.explanation).toContain('3 domestic abuse incidents were recorded in the 6 months before this referral (2 of them on earlier referrals about the same person)');
    // The same day reported twice is one event; an earlier incident outside the window does not count.
    expect(met(kent, referral({ incidentDates: ['2026-11-20', '2026-09-01'], earlierIncidentDates: ['2026-11-20', '2026-09-01', '2026-04-20'] }))).toEqual([]);
  });

  it('the national 12-month escalation window is one configuration change away', () => {
    const national = ruleSetSchema.parse({ ...kent, criteria: { ...kent.criteria, potentialEscalation: { enabled: true, minimumEvents: 3, windowMonths: 12 } } });
    expect(met(national, referral({ incidentDates: ['2026-11-20', '2026-09-01', '2026-04-20'] }))).toEqual(['potential_escalation']);
  });

  it('counts UK calendar days: just after midnight in summer, an incident dated today is today', () => {
    const summerNight = referral({ referredAt: '2026-07-01T23:30:00.000Z', incidentDates: ['2026-07-02', '2026-06-01', '2026-05-01'] });
    expect(met(kent, summerNight)).toEqual(['potential_escalation']);
  });

  it('repeat: a MARAC referral for the same person and perpetrator within 12 months, whatever the new score', () => {
    const lastMarac = (submittedAt: string, incidentDates: string[] = []) => ({ earlierMaracReferrals: [{ submittedAt, incidentDates }] });
    expect(met(kent, referral(lastMarac('2026-01-10T09:00:00.000Z')))).toEqual(['repeat']);
    expect(routeReferral(kent, referral(lastMarac('2026-01-10T09:00:00.000Z'))).riskLevel).toBe('high');
    expect(met(kent, referral({ ...lastMarac('2026-01-10T09:00:00.000Z'), incidentDates: ['2026-11-20'] }))).toEqual(['repeat']);
    expect(met(kent, referral(lastMarac('2025-11-20T09:00:00.000Z')))).toEqual([]);
  });

  it('repeat of a case another area’s MARAC heard: the person has moved, and the case transfers to this area’s MARAC', () => {
    const heardInKent = { submittedAt: '2026-08-10T09:00:00.000Z', incidentDates: ['2026-08-09'], maracArea: 'kent', maracName: 'Kent' };
    const explanation = (decision: ReturnType<typeof routeReferral>) => decision.criteria.find((c) => c.criterion === 'repeat')?.explanation;
    const moved = routeReferral(medway, referral({ district: 'medway', districtName: 'Medway', incidentDates: ['2026-11-20'], earlierMaracReferrals: [heardInKent] }));
    expect(moved.routes.map((route) => route.kind)).toContain('marac');
    expect(explanation(moved)).toBe('The same person was referred to MARAC about the same person causing harm, and this referral reports a further incident within 12 months of that referral, so it is a repeat referral whatever the score. That referral went to the Kent MARAC: the person has moved, so the case transfers to the Medway MARAC.');
    const undated = routeReferral(medway, referral({ district: 'medway', districtName: 'Medway', earlierMaracReferrals: [heardInKent] }));
    expect(explanation(undated)).toContain('the case transfers to the Medway MARAC');
    // Heard by this area's own MARAC: no transfer to speak of.
    expect(explanation(routeReferral(kent, referral({ incidentDates: ['2026-11-20'], earlierMaracReferrals: [heardInKent] })))).not.toContain('transfers');
  });

    it('repeat needs a further instance of abuse: not the incident the last MARAC referral reported, nor one before it', () => {
    // A second agency refers the same incident the day the first referred it to MARAC.
    const sameIncident = routeReferral(kent, referral({ referredAt: '2026-11-25T15:00:00.000Z', incidentDates: ['2026-11-24'], earlierMaracReferrals: [{ submittedAt: '2026-11-25T09:00:00.000Z', incidentDates: ['2026-11-24'] }] }));
    expect(sameIncident.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: false, explanation: expect.stringContaining('every incident on this referral happened before that referral') as string });
    // An incident on the day of the MARAC referral that the referral itself reported.
    const reported = routeReferral(kent, referral({ incidentDates: ['2026-09-01'], earlierMaracReferrals: [{ submittedAt: '2026-09-01T18:00:00.000Z', incidentDates: ['2026-09-01'] }] }));
    expect(reported.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: false, explanation: expect.stringContaining('already reported on a MARAC referral. A repeat needs a further incident since then') as string });
    expect(met(kent, referral({ incidentDates: ['2026-08-01'], earlierMaracReferrals: [{ submittedAt: '2026-09-01T09:00:00.000Z', incidentDates: [] }] }))).toEqual([]);
    // The same day, but an incident the earlier referral did not report: a further instance.
    expect(met(kent, referral({ incidentDates: ['2026-09-01'], earlierMaracReferrals: [{ submittedAt: '2026-09-01T09:00:00.000Z', incidentDates: ['2026-08-30'] }] }))).toEqual(['repeat']);
    // A later MARAC referral about an older incident does not hide a further incident since the first one.
    const twoReferrals = [{ submittedAt: '2026-09-07T09:00:00.000Z', incidentDates: ['2026-08-20'] }, { submittedAt: '2026-09-01T09:00:00.000Z', incidentDates: ['2026-08-30'] }];
    expect(met(kent, referral({ incidentDates: ['2026-09-05'], earlierMaracReferrals: twoReferrals }))).toEqual(['repeat']);
    expect(met(kent, referral({ incidentDates: ['2026-08-20'], earlierMaracReferrals: twoReferrals }))).toEqual([]);
  });

  it('repeat: the incident’s date decides, so abuse within 12 months of the MARAC referral counts even when it is referred later', () => {
    const lastMarac = { earlierMaracReferrals: [{ submittedAt: '2025-02-10T09:00:00.000Z', incidentDates: [] }] };
    const late = routeReferral(kent, referral({ referredAt: '2026-03-16T10:00:00.000Z', incidentDates: ['2025-04-20'], ...lastMarac }));
    expect(late.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: true, explanation: expect.stringContaining('a further incident within 12 months of that referral') as string });
    expect(met(kent, referral({ referredAt: '2026-03-16T10:00:00.000Z', incidentDates: ['2026-02-10'], ...lastMarac }))).toEqual(['repeat']);
    const tooLate = routeReferral(kent, referral({ referredAt: '2026-03-16T10:00:00.000Z', incidentDates: ['2026-02-11'], ...lastMarac }));
    expect(tooLate.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: false, explanation: expect.stringContaining('more than 12 months after it') as string });
    // The repeat is of the referral whose window holds the abuse, not of a later one made after it.
    const older = { submittedAt: '2024-03-01T09:00:00.000Z', incidentDates: [] };
    const later = { submittedAt: '2025-06-01T09:00:00.000Z', incidentDates: [] };
    const ofOlder = routeReferral(kent, referral({ referredAt: '2025-08-01T10:00:00.000Z', incidentDates: ['2024-05-01'], earlierMaracReferrals: [later, older] }));
    expect(ofOlder.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: true, details: { repeatOf: older.submittedAt } });
    const ofLater = routeReferral(kent, referral({ referredAt: '2025-08-01T10:00:00.000Z', incidentDates: ['2024-05-01', '2025-07-01'], earlierMaracReferrals: [older, later] }));
    expect(ofLater.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: true, details: { repeatOf: later.submittedAt } });
  });

  it('repeat: without incident dates, a referral the day of or after the last MARAC referral may be the same one again, and is not counted', () => {
    const lastMarac = (submittedAt: string) => ({ earlierMaracReferrals: [{ submittedAt, incidentDates: [] }] });
    // Sent again the same day (a resend, or a second agency referring the same incident).
    const resent = routeReferral(kent, referral(lastMarac('2026-11-25T09:59:30.000Z')));
    expect(resent.criteria.find((c) => c.criterion === 'repeat')).toMatchObject({ met: false, explanation: expect.stringContaining('today. No incident dates were given, so this may be the same abuse referred again') as string });
    expect(met(kent, referral(lastMarac('2026-11-24T16:00:00.000Z')))).toEqual([]);
    // Two days on, abuse with no date given is taken as new: a repeat, as before.
    expect(met(kent, referral(lastMarac('2026-11-23T16:00:00.000Z')))).toEqual(['repeat']);
    // The same day with a further incident given: a repeat.
    expect(met(kent, referral({ ...lastMarac('2026-11-25T09:00:00.000Z'), incidentDates: ['2026-11-25'] }))).toEqual(['repeat']);
  });

  it('suicide or self-harm (Kent & Medway): the referrer judges a high risk because of the abuse, and the abuse is current', () => {
    expect(met(kent, referral({ suicideSelfHarmRisk: 'yes', incidentDates: ['2026-10-01'] }))).toEqual(['suicide_self_harm']);
    // No incident dates known yet: the abuse being referred is taken as current, never read as "no".
    expect(met(medway, referral({ suicideSelfHarmRisk: 'yes', district: 'medway', districtName: 'Medway' }))).toEqual(['suicide_self_harm']);
    // Only an incident two years ago: the referrer's judgement is of the risk now, as the criterion is written...
    const old = routeReferral(kent, referral({ suicideSelfHarmRisk: 'yes', incidentDates: ['2024-10-01'] }));
    expect(old.criteria.find((c) => c.criterion === 'suicide_self_harm')).toMatchObject({ met: true, explanation: 'The referrer judged the person to be at high risk of suicide or self-harm because of the abuse, and that judgement is of the risk now, so the abuse is taken as current. In Kent that goes to MARAC.' });
    // ...unless the area sets a window an incident must fall within.
    const windowed = withCurrentAbuseWindow(kent, 12);
    const outside = routeReferral(windowed, referral({ suicideSelfHarmRisk: 'yes', incidentDates: ['2024-10-01'] }));
    expect(outside.maracCriteriaMet).toBe(false);
    expect(outside.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toContain('no domestic abuse incident was recorded in the last 12 months, so the abuse is not current. If it is still going on (coercive control, say, with no recent incident of violence), give the date it last happened, or refer on professional judgement.');
    expect(met(windowed, referral({ suicideSelfHarmRisk: 'yes', incidentDates: ['2026-10-01'] }))).toEqual(['suicide_self_harm']);
  });

  it('serious harm (Kent & Medway): the referrer judges a high risk of serious harm from the person causing harm, and the abuse is current', () => {
    const judged = routeReferral(kent, referral({ seriousHarmRisk: 'yes', incidentDates: ['2026-11-20'] }));
    expect(judged.criteria.filter((c) => c.met).map((c) => c.criterion)).toEqual(['suicide_self_harm']);
    expect(judged.riskLevel).toBe('high');
    expect(judged.routes.map((route) => route.kind)).toContain('marac');
    expect(judged.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toBe('The referrer judged the person to be at high risk of serious harm from the person causing harm, and that judgement is of the risk now, so the abuse is taken as current. In Kent that goes to MARAC.');
    const windowed = withCurrentAbuseWindow(kent, 12);
    expect(routeReferral(windowed, referral({ seriousHarmRisk: 'yes', incidentDates: ['2026-11-20'] })).criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toBe('The referrer judged the person to be at high risk of serious harm from the person causing harm, and the abuse is current. In Kent that goes to MARAC.');
    const both = routeReferral(windowed, referral({ seriousHarmRisk: 'yes', suicideSelfHarmRisk: 'yes' }));
    expect(both.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toBe('The referrer judged the person to be at high risk of serious harm from the person causing harm and of suicide or self-harm because of the abuse, and no incident dates were given, so the abuse being referred is taken as current. In Kent that goes to MARAC.');
    const old = routeReferral(windowed, referral({ seriousHarmRisk: 'yes', incidentDates: ['2024-10-01'] }));
    expect(old.maracCriteriaMet).toBe(false);
    expect(old.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toContain('the abuse is not current');
    const notJudged = routeReferral(kent, referral({ seriousHarmRisk: 'not_known', suicideSelfHarmRisk: 'not_given' }));
    expect(notJudged.maracCriteriaMet).toBe(false);
    expect(notJudged.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toBe('The referrer did not know whether the person is at high risk of serious harm from the person causing harm, and did not say whether the person is at high risk of suicide or self-harm because of the abuse.');
  });

  it('points out the area’s standalone indicators answered “yes” when the referrer did not use their judgement, and only then', () => {
    const judgement = (decision: ReturnType<typeof routeReferral>) => decision.criteria.find((c) => c.criterion === 'professional_judgement')?.explanation;
    expect(judgement(routeReferral(kent, referral({ yesTo: ['q13', 'q17'] })))).toBe('The referrer did not refer on professional judgement. The checklist says “yes” to question 13 (weapons or objects) and question 17 (another person they fear): in Kent these are standalone indicators, which can justify a referral on professional judgement whatever the score.');
    expect(judgement(routeReferral(kent, referral({ yesTo: ['q3', 'q14'] })))).toBe('The referrer did not refer on professional judgement.');
    // Extreme fear is one of Kent and Medway's standalone indicators too.
    expect(judgement(routeReferral(kent, referral({ yesTo: ['q2'] })))).toBe('The referrer did not refer on professional judgement. The checklist says “yes” to question 2 (very frightened): in Kent this is a standalone indicator, which can justify a referral on professional judgement whatever the score.');
    expect(judgement(routeReferral(kent, referral({ yesTo: ['q13'], professionalJudgement: { applies: true, reasons: 'A knife was used.' } })))).not.toContain('standalone');
    // Going to MARAC on its score already: nothing to point out.
    expect(judgement(routeReferral(kent, referral({ yes: 16, yesTo: ['q13'] })))).toBe('The referrer did not refer on professional judgement.');
  });

    it('a checklist "yes" to question 5 prompts the judgement but is not it', () => {
    for (const suicideSelfHarmRisk of ['no', 'not_known', 'not_given'] as const) {
      const decision = routeReferral(kent, referral({ yesTo: ['q5'], suicideSelfHarmRisk, incidentDates: ['2026-11-01'] }));
      expect(decision.maracCriteriaMet).toBe(false);
      expect(decision.criteria.find((c) => c.criterion === 'suicide_self_harm')?.explanation).toContain('The checklist answer “yes” to question 5 (depressed or suicidal thoughts) does not meet this criterion on its own');
    }
  });

  it('the perpetrator threatening suicide (question 22) is not the person at risk’s own suicide risk', () => {
    expect(met(kent, referral({ yesTo: ['q22'] }))).toEqual([]);
  });

  it('records every criterion met, not one outcome', () => {
    const decision = routeReferral(kent, referral({ yes: 16, suicideSelfHarmRisk: 'yes', professionalJudgement: { applies: true, reasons: 'Threats to kill.' }, incidentDates: ['2026-11-01', '2026-10-01', '2026-09-01'], earlierMaracReferrals: [{ submittedAt: '2026-06-01T00:00:00.000Z', incidentDates: [] }] }));
    expect(decision.criteria.filter((c) => c.met).map((c) => c.criterion)).toEqual(['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat', 'suicide_self_harm']);
    expect(decision.riskLevel).toBe('high');
  });
});

describe('risk levels', () => {
  it('uses the bands below the MARAC threshold: 1-9 standard, 10-13 medium', () => {
    expect(routeReferral(kent, referral({ yes: 9 })).riskLevel).toBe('standard');
    expect(routeReferral(kent, referral({ yes: 10 })).riskLevel).toBe('medium');
    expect(routeReferral(kent, referral({ yes: 13 })).riskLevel).toBe('medium');
  });

  it('sets first-contact targets by risk: 1 working day for high, 3 otherwise', () => {
    expect(routeReferral(kent, referral({ yes: 14 })).firstContactWorkingDays).toBe(1);
    expect(routeReferral(kent, referral({ yes: 3 })).firstContactWorkingDays).toBe(3);
  });
});

describe('routes', () => {
  it('a MARAC case goes to the MARAC Hub and to the district’s IDVA service', () => {
    expect(routes(kent, referral({ yes: 15 }))).toEqual(['marac:marac-hub', 'idva:demo-support-service']);
    expect(routes(kent, referral({ yes: 15, district: 'thanet', districtName: 'Thanet' }))).toEqual(['marac:marac-hub', 'idva:demo-east-kent-da-service']);
    expect(routes(medway, referral({ yes: 15, district: 'medway', districtName: 'Medway' }))).toEqual(['marac:marac-hub', 'idva:demo-medway-da-service']);
  });

  it('below the threshold the commissioned outreach service for the district receives it', () => {
    expect(routes(kent, referral({ yes: 5, district: 'ashford', districtName: 'Ashford' }))).toEqual(['outreach:demo-east-kent-da-service']);
    expect(routes(kent, referral({ yes: 5, district: 'sevenoaks', districtName: 'Sevenoaks' }))).toEqual(['outreach:demo-support-service']);
    expect(routes(medway, referral({ yes: 5, district: 'medway', districtName: 'Medway' }))).toEqual(['outreach:demo-medway-da-service']);
  });

  it('needs choose specialist services in place of generic outreach, and add safe accommodation', () => {
    expect(routes(kent, referral({ needs: ['mens_service'] }))).toEqual(['specialist:demo-mens-da-service']);
    // Every MARAC case is offered an IDVA (SafeLives' second principle); the specialist service comes as well.
    expect(routes(kent, referral({ yes: 15, needs: ['lgbt_service'] }))).toEqual(['marac:marac-hub', 'idva:demo-support-service', 'specialist:demo-lgbt-da-service']);
    expect(routes(kent, referral({ needs: ['safe_accommodation'] }))).toEqual(['outreach:demo-support-service', 'safe_accommodation:demo-kent-safe-accommodation']);
    expect(routes(medway, referral({ needs: ['safe_accommodation'], district: 'medway', districtName: 'Medway' }))).toContain('safe_accommodation:demo-medway-safe-accommodation');
  });

  it('children in the household add children’s safeguarding at Kent County Council or Medway Council', () => {
    expect(routes(kent, referral({ childrenInHousehold: 'yes', district: 'dover', districtName: 'Dover' }))).toContain('children_safeguarding:kent-county-council');
    expect(routes(medway, referral({ childrenInHousehold: 'yes', district: 'medway', districtName: 'Medway' }))).toContain('children_safeguarding:medway-council');
    expect(routes(kent, referral({ childrenInHousehold: 'not_known' })).some((r) => r.startsWith('children_safeguarding'))).toBe(false);
  });

  it('an adult with care and support needs adds adult safeguarding; a housing need adds the district housing team', () => {
    expect(routes(kent, referral({ needs: ['adult_care_support'] }))).toContain('adult_safeguarding:kent-county-council');
    expect(routes(kent, referral({ needs: ['housing'], district: 'swale', districtName: 'Swale' }))).toContain('housing:swale-bc');
    expect(routes(medway, referral({ needs: ['housing'], district: 'medway', districtName: 'Medway' }))).toContain('housing:medway-council');
  });

  it('explains each route in plain words with the rules that fired and why', () => {
    const decision = routeReferral(kent, referral({ yes: 4, district: 'gravesham', districtName: 'Gravesham', needs: ['housing'] }));
    const housing = decision.routes.find((route) => route.kind === 'housing');
    expect(housing?.rulesFired).toEqual([{ ruleId: 'housing', summary: 'The person has a housing need, so the housing team of the council for Gravesham is asked to help.', because: ['the referral records a housing need', 'the person at risk is aged 18 or over'] }]);
    const outreach = decision.routes.find((route) => route.kind === 'outreach');
    expect(outreach?.rulesFired[0]?.because).toEqual(['no MARAC criterion is met', "the referral does not record that a men's service would suit them best", 'the referral does not record that an LGBT+ service would suit them best', 'the person at risk is aged 18 or over']);
  });

  it('young people: under 16, children’s safeguarding leads and MARAC does not hear the case; at 16 or 17, children’s safeguarding is told as well', () => {
    const under16 = routeReferral(kent, referral({ yes: 14, personAgeBand: 'under_16', needs: ['housing'] }));
    expect(under16.maracCriteriaMet).toBe(true);
    expect(under16.referredToMarac).toBe(false);
    expect(under16.riskLevel).toBe('high');
    expect(under16.routes.map((route) => `${route.kind}:${route.organisationSlug}`)).toEqual(['children_safeguarding:kent-county-council']);
    expect(under16.routes[0]?.rulesFired[0]).toMatchObject({ ruleId: 'under-16', because: ['the person at risk is under 16'] });
    // The criterion met does not promise MARAC, and judgement is not suggested where it would change nothing.
    expect(under16.criteria.find((c) => c.met)?.explanation).toContain('Even so, this referral does not go to MARAC: the routes say why');
    const judgement = (input: RoutingInput) => routeReferral(kent, input).criteria.find((c) => c.criterion === 'professional_judgement')?.explanation;
    expect(judgement(referral({ yesTo: ['q15'], personAgeBand: 'under_16' }))).toBe('The referrer did not refer on professional judgement.');
    expect(judgement(referral({ yesTo: ['q15'], personAgeBand: '16_17' }))).toContain('standalone indicator');
    expect(routes(kent, referral({ yes: 2, personAgeBand: 'under_16' }))).toEqual(['children_safeguarding:kent-county-council']);

    const sixteen = routeReferral(medway, referral({ yes: 14, personAgeBand: '16_17', district: 'medway', districtName: 'Medway' }));
    expect(sixteen.referredToMarac).toBe(true);
    expect(sixteen.criteria.find((c) => c.met)?.explanation).not.toContain('does not go to MARAC');
    expect(sixteen.routes.map((route) => route.kind)).toEqual(['marac', 'idva', 'children_safeguarding']);
    expect(sixteen.routes.find((route) => route.kind === 'children_safeguarding')?.rulesFired[0]?.summary).toContain('still a child in law');

    // Pregnant, or a baby in the last 18 months (question 9): an unborn child or a baby is a child in the household.
    const pregnant = routeReferral(kent, referral({ yes: 2, yesTo: ['q9'] }));
    expect(pregnant.routes.map((route) => `${route.kind}:${route.organisationSlug}`)).toEqual(['outreach:demo-support-service', 'children_safeguarding:kent-county-council']);
    expect(pregnant.routes[1]?.rulesFired[0]).toMatchObject({ ruleId: 'pregnancy-or-new-baby', because: ['question 9 (pregnancy or new baby) was answered “yes”'] });
    expect(routes(kent, referral({ yes: 2, dash: { q9: 'not_known' } }))).toEqual(['outreach:demo-support-service']);

    // A child harming a parent (adolescent to parent violence): the parent is routed on their risk, and children's
    // safeguarding is told for the child, under 16 or (still a child in law) 16 or 17; an adult, or an unknown age,
    // changes nothing.
    const byChild = routeReferral(kent, referral({ yes: 14, personCausingHarmAgeBand: 'under_16' }));
    expect(byChild.routes.map((route) => route.kind)).toEqual(['marac', 'idva', 'children_safeguarding']);
    expect(byChild.routes.find((route) => route.kind === 'children_safeguarding')?.rulesFired[0]).toMatchObject({ ruleId: 'harm-under-16', because: ['the person causing harm is under 16'] });
    expect(routes(kent, referral({ yes: 2, personCausingHarmAgeBand: 'under_16' }))).toEqual(['outreach:demo-support-service', 'children_safeguarding:kent-county-council']);
    const bySeventeen = routeReferral(kent, referral({ yes: 2, personCausingHarmAgeBand: '16_17' }));
    expect(bySeventeen.routes.map((route) => `${route.kind}:${route.organisationSlug}`)).toEqual(['outreach:demo-support-service', 'children_safeguarding:kent-county-council']);
    expect(bySeventeen.routes[1]?.rulesFired[0]).toMatchObject({ ruleId: 'harm-16-17', because: ['the person causing harm is aged 16 or 17'] });
    for (const band of ['adult', null] as const) expect(routes(kent, referral({ yes: 2, personCausingHarmAgeBand: band })), String(band)).toEqual(['outreach:demo-support-service']);

    // No date of birth: routed as an adult would be, and the explanation says the age was not known.
    const unknown = routeReferral(kent, referral({ yes: 2, personAgeBand: null }));
    expect(unknown.routes.map((route) => route.kind)).toEqual(['outreach']);
    expect(unknown.routes[0]?.rulesFired[0]?.because).toContain('the person at risk’s age is not known (no date of birth was given), so they are taken to be an adult');
  });
});
