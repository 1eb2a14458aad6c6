import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import type { AgeBand } from '../tables.js';
import { routeReferral } from './engine.js';
import { ruleSetSchema, type Condition, type RuleSet } from './schema.js';
import { ADULT_SAFEGUARDING_CHANGE_NOTE, CURRENT_ABUSE_CHANGE_NOTE, EXTREME_FEAR_CHANGE_NOTE, HARM_16_17_CHANGE_NOTE, HARM_UNDER_16_CHANGE_NOTE, INDICATORS_CHANGE_NOTE, PREGNANCY_CHANGE_NOTE, YOUNG_PEOPLE_CHANGE_NOTE } from './upgrades.js';

/** The rules as they were before routing knew ages: no routes for young people, no age in any condition. */
function beforeAges(rules: RuleSet): RuleSet {
  const withoutAge = (condition: Condition): Condition => ('all' in condition ? { all: condition.all.filter((part) => !JSON.stringify(part).includes('personAgeBand')) } : condition);
  return ruleSetSchema.parse({ ...rules, routes: rules.routes.filter((route) => !JSON.stringify(route.when).startsWith('{"personAgeBand"')).map((route) => ({ ...route, when: withoutAge(route.when) })) });
}

describe('rules written before routing knew ages', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  it('gain the routes for young people once, as a new active version, on the next start', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const [kent] = (await services.routingRules.active()).filter((set) => set.maracArea === 'kent');
    if (!kent) throw new Error('The seeded Kent rules are missing.');
    const old = beforeAges(kent.rules);
    expect(JSON.stringify(old)).not.toContain('personAgeBand');
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(old) }).where('marac_area', '=', 'kent').execute();
    services.routingRules.forgetActive();

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['version', 'status', 'change_note']).where('marac_area', '=', 'kent').orderBy('version').execute();
    expect(versions).toEqual([
      { version: kent.version, status: 'retired', change_note: expect.any(String) as string },
      { version: kent.version + 1, status: 'retired', change_note: YOUNG_PEOPLE_CHANGE_NOTE },
      { version: kent.version + 2, status: 'active', change_note: ADULT_SAFEGUARDING_CHANGE_NOTE },
    ]);
    const [upgraded] = (await services.routingRules.active()).filter((set) => set.maracArea === 'kent');
    const fifteen = { district: 'thanet', districtName: 'Thanet', referredAt: '2026-12-06T10:00:00.000Z', dash: { ...Object.fromEntries(Array.from({ length: 24 }, (_, q) => [`q${String(q + 1)}`, 'yes' as const])), q9: 'no' as const }, professionalJudgement: { applies: false, reasons: null }, seriousHarmRisk: 'no' as const, suicideSelfHarmRisk: 'no' as const, incidentDates: [], earlierIncidentDates: [], childrenInHousehold: 'no' as const, personAgeBand: 'under_16' as const, personCausingHarmAgeBand: null, needs: [], earlierMaracReferrals: [] };
    expect(routeReferral(old, fifteen).routes.map((route) => route.kind)).toEqual(['marac', 'idva']);
    expect(routeReferral(upgraded?.rules ?? old, fifteen).routes.map((route) => route.kind)).toEqual(['children_safeguarding']);
    expect(routeReferral(upgraded?.rules ?? old, { ...fifteen, personAgeBand: 'adult' }).routes.map((route) => route.kind)).toEqual(['marac', 'idva']);
  });

  const adultReferral = { district: 'medway', districtName: 'Medway', referredAt: '2026-12-06T10:00:00.000Z', dash: { q1: 'yes' as const }, professionalJudgement: { applies: false, reasons: null }, seriousHarmRisk: 'no' as const, suicideSelfHarmRisk: 'no' as const, incidentDates: [], earlierIncidentDates: [], childrenInHousehold: 'no' as const, personAgeBand: 'adult' as const, personCausingHarmAgeBand: 'adult' as const, needs: [], earlierMaracReferrals: [] };

  /** Medway's rules in use, changed by `change`, as its only version, with no upgrade yet considered for it. */
  async function medwayRulesAs(change: (rules: RuleSet) => unknown) {
    const { services } = platform;
    const db = services.db.kysely;
    const [medway] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    if (!medway) throw new Error('The seeded Medway rules are missing.');
    const old = ruleSetSchema.parse(change(medway.rules));
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.deleteFrom('routing_rule_upgrades').where('marac_area', '=', 'medway').execute();
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(old) }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();
    return { medway, old };
  }

  it.each([
    { route: 'harm-under-16', removed: ['harm-under-16', 'harm-16-17'], marker: 'personCausingHarmAgeBand', notes: [HARM_UNDER_16_CHANGE_NOTE, HARM_16_17_CHANGE_NOTE], referral: { ...adultReferral, personCausingHarmAgeBand: 'under_16' as const } },
    { route: 'harm-16-17', removed: ['harm-16-17'], marker: 'harm-16-17', notes: [HARM_16_17_CHANGE_NOTE], referral: { ...adultReferral, personCausingHarmAgeBand: '16_17' as const } },
    { route: 'pregnancy-or-new-baby', removed: ['pregnancy-or-new-baby'], marker: 'dashAnswer', notes: [PREGNANCY_CHANGE_NOTE], referral: { ...adultReferral, dash: { q1: 'yes' as const, q9: 'yes' as const } } },
  ])('gain the route $route once, as a new active version, where no version had one like it', async ({ removed, marker, notes, referral }) => {
    const { services } = platform;
    const db = services.db.kysely;
    const { old } = await medwayRulesAs((rules) => ({ ...rules, routes: rules.routes.filter((candidate) => !removed.includes(candidate.id)) }));
    expect(JSON.stringify(old)).not.toContain(marker);

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['version', 'status', 'change_note']).where('marac_area', '=', 'medway').orderBy('version').execute();
    expect(versions.map((version) => version.change_note).slice(1)).toEqual(notes);
    expect(versions.at(-1)?.status).toBe('active');
    const [upgraded] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    expect(routeReferral(old, referral).routes.map((decided) => decided.kind)).toEqual(['outreach']);
    expect(routeReferral(upgraded?.rules ?? old, referral).routes.map((decided) => decided.kind)).toEqual(['outreach', 'children_safeguarding']);
  });

  it('gain the area’s standalone indicators once, pointed out to a referrer who did not use their judgement', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const { old } = await medwayRulesAs((rules) => ({ ...rules, criteria: { ...rules.criteria, professionalJudgement: { enabled: true } } }));
    expect(JSON.stringify(old)).not.toContain('indicators');

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['change_note']).where('marac_area', '=', 'medway').orderBy('version').execute();
    expect(versions.map((version) => version.change_note).slice(1)).toEqual([INDICATORS_CHANGE_NOTE]);
    expect(JSON.stringify(versions)).not.toContain(EXTREME_FEAR_CHANGE_NOTE);
    const [upgraded] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    const strangled = { ...adultReferral, dash: { q1: 'yes' as const, q15: 'yes' as const } };
    const judgementOf = (rules: typeof old) => routeReferral(rules, strangled).criteria.find((criterion) => criterion.criterion === 'professional_judgement')?.explanation;
    expect(judgementOf(old)).toBe('The referrer did not refer on professional judgement.');
    expect(judgementOf(upgraded?.rules ?? old)).toBe('The referrer did not refer on professional judgement. The checklist says “yes” to question 15 (strangling, choking, suffocating, drowning): in Medway this is a standalone indicator, which can justify a referral on professional judgement whatever the score.');
  });

  it('keep adult safeguarding for adults once upgraded: a 16- or 17-year-old with care and support needs goes to children’s safeguarding', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const [medway] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    if (!medway) throw new Error('The seeded Medway rules are missing.');
    const seededRoute = (id: string) => medway.rules.routes.find((route) => route.id === id);
    const old = ruleSetSchema.parse({
      ...medway.rules,
      routes: medway.rules.routes.map((route) => (route.id === 'adult-safeguarding' ? { ...route, when: { all: [{ need: 'adult_care_support' }, { not: { personAgeBand: ['under_16'] } }] } } : route)),
    });
    expect(JSON.stringify(old)).not.toContain('"personAgeBand":["under_16","16_17"]');
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.deleteFrom('routing_rule_upgrades').where('marac_area', '=', 'medway').execute();
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(old) }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['change_note']).where('marac_area', '=', 'medway').orderBy('version').execute();
    expect(versions.map((version) => version.change_note).slice(1)).toEqual([ADULT_SAFEGUARDING_CHANGE_NOTE]);
    const [upgraded] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    const seventeen = { ...adultReferral, personAgeBand: '16_17' as AgeBand, needs: ['adult_care_support' as const] };
    const kinds = (rules: RuleSet, referral: typeof seventeen) => routeReferral(rules, referral).routes.map((decided) => decided.kind);
    expect(kinds(old, seventeen)).toEqual(['outreach', 'children_safeguarding', 'adult_safeguarding']);
    expect(kinds(upgraded?.rules ?? old, seventeen)).toEqual(['outreach', 'children_safeguarding']);
    expect(kinds(upgraded?.rules ?? old, { ...seventeen, personAgeBand: 'adult' })).toEqual(['outreach', 'adult_safeguarding']);
    expect(upgraded?.rules.routes.find((route) => route.id === 'harm-under-16')?.summary).toBe(seededRoute('harm-under-16')?.summary);
  });

  it('are left as they are where a partnership took out the route an upgrade would change', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const [medway] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    if (!medway) throw new Error('The seeded Medway rules are missing.');
    const withoutAdultRoutes = ruleSetSchema.parse({ ...medway.rules, routes: medway.rules.routes.filter((route) => route.id !== 'adult-safeguarding' && route.id !== 'harm-under-16') });
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.deleteFrom('routing_rule_upgrades').where('marac_area', '=', 'medway').execute();
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(withoutAdultRoutes) }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();

    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['id', 'status']).where('marac_area', '=', 'medway').execute();
    expect(versions).toEqual([{ id: medway.id, status: 'active' }]);
  });

  it.each([
    { window: 12, upgraded: null, notes: [CURRENT_ABUSE_CHANGE_NOTE] },
    { window: 6, upgraded: 6, notes: [] },
  ])('take the referrer’s judgement as current abuse where the rules in use kept the seeded 12 months (here $window)', async ({ window, upgraded, notes }) => {
    const { services } = platform;
    const db = services.db.kysely;
    await medwayRulesAs((rules) => ({ ...rules, criteria: { ...rules.criteria, suicideSelfHarm: { ...rules.criteria.suicideSelfHarm, currentAbuseWithinMonths: window } } }));

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['change_note']).where('marac_area', '=', 'medway').orderBy('version').execute();
    expect(versions.map((version) => version.change_note).slice(1)).toEqual(notes);
    // Read as stored: a version's rules never change in place, so the service keeps them by id.
    const active = await db.selectFrom('routing_rule_sets').select('rules').where('marac_area', '=', 'medway').where('status', '=', 'active').executeTakeFirstOrThrow();
    const rules = ruleSetSchema.parse(JSON.parse(active.rules));
    expect(rules.criteria.suicideSelfHarm.currentAbuseWithinMonths).toBe(upgraded);
    const judgedWithAnOldIncident = { ...adultReferral, suicideSelfHarmRisk: 'yes' as const, incidentDates: ['2024-10-01'] };
    expect(routeReferral(rules, judgedWithAnOldIncident).maracCriteriaMet).toBe(upgraded === null);
  });

  it('keep a partnership’s own adult safeguarding condition, with 16- and 17-year-olds left out of it', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const [medway] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    if (!medway) throw new Error('The seeded Medway rules are missing.');
    const own: Condition = { all: [{ need: 'adult_care_support' }, { need: 'housing' }] };
    const old = ruleSetSchema.parse({ ...medway.rules, routes: medway.rules.routes.map((route) => (route.id === 'adult-safeguarding' ? { ...route, when: own } : route)) });
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.deleteFrom('routing_rule_upgrades').where('marac_area', '=', 'medway').execute();
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(old) }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();
    await services.routingRules.ensureSeeded();
    const active = await db.selectFrom('routing_rule_sets').select('rules').where('marac_area', '=', 'medway').where('status', '=', 'active').executeTakeFirstOrThrow();
    const rules = ruleSetSchema.parse(JSON.parse(active.rules));
    expect(rules.routes.find((route) => route.id === 'adult-safeguarding')?.when).toEqual({ all: [own, { not: { personAgeBand: ['16_17'] } }] });
    const needs = ['adult_care_support' as const, 'housing' as const];
    expect(routeReferral(rules, { ...adultReferral, needs }).routes.map((decided) => decided.kind)).toContain('adult_safeguarding');
    expect(routeReferral(rules, { ...adultReferral, needs, personAgeBand: '16_17' }).routes.map((decided) => decided.kind)).not.toContain('adult_safeguarding');
    // The next test starts from the seeded rules again.
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.updateTable('routing_rule_sets').set({ rules: JSON.stringify(medway.rules), status: 'active', retired_at: null }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();
  });

  it('never apply an upgrade later over a partnership’s own choice, once it has been considered', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const [medway] = (await services.routingRules.active()).filter((set) => set.maracArea === 'medway');
    if (!medway) throw new Error('The seeded Medway rules are missing.');
    const withWindow = (months: number) => JSON.stringify(ruleSetSchema.parse({ ...medway.rules, criteria: { ...medway.rules.criteria, suicideSelfHarm: { ...medway.rules.criteria.suicideSelfHarm, currentAbuseWithinMonths: months } } }));
    await db.deleteFrom('routing_rule_sets').where('marac_area', '=', 'medway').where('id', '!=', medway.id).execute();
    await db.deleteFrom('routing_rule_upgrades').where('marac_area', '=', 'medway').execute();
    await db.updateTable('routing_rule_sets').set({ rules: withWindow(6) }).where('id', '=', medway.id).execute();
    services.routingRules.forgetActive();
    await services.routingRules.ensureSeeded();
    // The partnership later chooses 12 months itself (as the seed once had it): the next start leaves that alone.
    await db.updateTable('routing_rule_sets').set({ rules: withWindow(12) }).where('id', '=', medway.id).execute();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['id', 'rules']).where('marac_area', '=', 'medway').execute();
    expect(versions.map((version) => version.id)).toEqual([medway.id]);
    expect(ruleSetSchema.parse(JSON.parse(versions[0]?.rules ?? '{}')).criteria.suicideSelfHarm.currentAbuseWithinMonths).toBe(12);
  });

  it('gain extreme fear (question 2) among the standalone indicators where they are still the three first seeded', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    await medwayRulesAs((rules) => ({ ...rules, criteria: { ...rules.criteria, professionalJudgement: { enabled: true, indicators: ['q13', 'q15', 'q17'] } } }));

    await services.routingRules.ensureSeeded();
    await services.routingRules.ensureSeeded();
    const versions = await db.selectFrom('routing_rule_sets').select(['change_note', 'rules', 'status']).where('marac_area', '=', 'medway').orderBy('version').execute();
    expect(versions.map((version) => version.change_note).slice(1)).toEqual([EXTREME_FEAR_CHANGE_NOTE]);
    const active = ruleSetSchema.parse(JSON.parse(versions.find((version) => version.status === 'active')?.rules ?? '{}'));
    expect(active.criteria.professionalJudgement.indicators).toEqual(['q2', 'q13', 'q15', 'q17']);
  });
});
