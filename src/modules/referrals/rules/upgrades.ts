import type { Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/db/ids.js';
import { latestVersionNumber, retireActive } from './versions.js';
import { insertRuleSet } from './repository.js';
import { ruleSetSchema, type Condition, type RuleSet } from './schema.js';

/**
 * What routing learned after a partnership's rules were first loaded: each adds the seed's new routes (and what else
 * it needs) to the rules in use. `marker` is the condition it brought: an area where any version already has it,
 * even one since taken out, is left alone, since a partnership that took it out meant to.
 */
interface RuleUpgrade {
  readonly marker: string;
  readonly changeNote: string;
  apply(rules: RuleSet, seeded: RuleSet): RuleSet;
}

const NOT_UNDER_16: Condition = { not: { personAgeBand: ['under_16'] } };

const seededRoutes = (seeded: RuleSet, ids: ReadonlySet<string>) => seeded.routes.filter((route) => ids.has(route.id));

/** An upgrade that only adds the seed's route with this id, to an area whose rules have no `marker` yet. */
const addingSeededRoute = (marker: string, routeId: string, changeNote: string): RuleUpgrade => ({
  marker,
  changeNote,
  apply: (rules, seeded) => ({ ...rules, routes: [...rules.routes, ...seededRoutes(seeded, new Set([routeId]))] }),
});

export const YOUNG_PEOPLE_CHANGE_NOTE =
  'People under 18: under 16, children’s safeguarding leads and the case does not go to MARAC or adult services (the domestic abuse definition and MARAC are for people aged 16 and over); at 16 or 17, children’s safeguarding is told as well. Added to the rules in use when the platform was upgraded.';

/** December 2026: routing reads the person at risk's age; every route but children's safeguarding is kept from under-16s. */
const YOUNG_PEOPLE: RuleUpgrade = {
  marker: '"personAgeBand"',
  changeNote: YOUNG_PEOPLE_CHANGE_NOTE,
  apply: (rules, seeded) => ({
    ...rules,
    routes: [...rules.routes.map((route) => (route.kind === 'children_safeguarding' ? route : { ...route, when: { all: [route.when, NOT_UNDER_16] } })), ...seededRoutes(seeded, new Set(['under-16', 'young-person']))],
  }),
};

export const HARM_UNDER_16_CHANGE_NOTE =
  'A person causing harm who is under 16 (adolescent to parent violence): children’s safeguarding is told, for that child too, alongside the support the person at risk is routed to. Added to the rules in use when the platform was upgraded.';

/** December 2026: routing reads the person causing harm's age. */
const HARM_UNDER_16 = addingSeededRoute('"personCausingHarmAgeBand"', 'harm-under-16', HARM_UNDER_16_CHANGE_NOTE);

export const HARM_16_17_CHANGE_NOTE =
  'A person causing harm who is 16 or 17: still a child in law, so children’s safeguarding is told, for that young person, alongside the support the person at risk is routed to. Added to the rules in use when the platform was upgraded.';

/** December 2026: a person causing harm of 16 or 17 is a child too, as a person at risk of that age already was. */
const HARM_16_17 = addingSeededRoute('"harm-16-17"', 'harm-16-17', HARM_16_17_CHANGE_NOTE);

export const PREGNANCY_CHANGE_NOTE =
  'Pregnancy or a new baby (checklist question 9 answered yes): children’s safeguarding is told, as for a child in the household. Added to the rules in use when the platform was upgraded.';

/** December 2026: routes can read a checklist answer. */
const PREGNANCY = addingSeededRoute('"dashAnswer"', 'pregnancy-or-new-baby', PREGNANCY_CHANGE_NOTE);

export const INDICATORS_CHANGE_NOTE =
  'Standalone indicators (weapons, strangulation, more than one person causing harm): a checklist “yes” to one of them, on a referral not made on professional judgement, is pointed out to the referrer as something that can justify one. Added to the rules in use when the platform was upgraded.';

/** December 2026: the area's standalone indicators are data, read from the seed. */
const INDICATORS: RuleUpgrade = {
  marker: '"indicators"',
  changeNote: INDICATORS_CHANGE_NOTE,
  apply: (rules, seeded) => ({
    ...rules,
    criteria: { ...rules.criteria, professionalJudgement: { ...rules.criteria.professionalJudgement, indicators: seeded.criteria.professionalJudgement.indicators ?? [] } },
  }),
};

export const ADULT_SAFEGUARDING_CHANGE_NOTE =
  'Adult safeguarding is for adults (18 and over): a person at risk of 16 or 17 with care and support needs is a child in law, and children’s safeguarding, already told for them, leads. The words for a person causing harm who is under 16 no longer assume they harm a parent (they may harm a partner of their own age). Added to the rules in use when the platform was upgraded.';

/** What the seed said before this upgrade: a route still as seeded takes the seed's new condition or words. */
const ADULTS_AS_FIRST_SEEDED: Condition = { all: [{ need: 'adult_care_support' }, NOT_UNDER_16] };
const HARM_UNDER_16_AS_FIRST_SEEDED =
  'The person causing harm is under 16. The domestic abuse definition is for people aged 16 and over, and a child harming a parent or carer (adolescent to parent violence) needs safeguarding too, so the children’s safeguarding front door for {district} is told as well as the support for the person at risk.';

/**
 * December 2026. Adult safeguarding as first seeded takes the seed's new condition; one a partnership wrote itself
 * keeps its own, with 16- and 17-year-olds left out. The under-16 harm words change only where still as seeded.
 */
const ADULT_SAFEGUARDING_FOR_ADULTS: RuleUpgrade = {
  marker: '"personAgeBand":["under_16","16_17"]',
  changeNote: ADULT_SAFEGUARDING_CHANGE_NOTE,
  apply: (rules, seeded) => ({
    ...rules,
    routes: rules.routes.map((route) => {
      const fromSeed = seeded.routes.find((candidate) => candidate.id === route.id);
      if (route.id === 'adult-safeguarding') {
        const asSeeded = JSON.stringify(route.when) === JSON.stringify(ADULTS_AS_FIRST_SEEDED);
        return { ...route, when: asSeeded && fromSeed ? fromSeed.when : { all: [route.when, { not: { personAgeBand: ['16_17'] } }] } };
      }
      if (route.id === 'harm-under-16' && fromSeed && route.summary === HARM_UNDER_16_AS_FIRST_SEEDED) return { ...route, summary: fromSeed.summary };
      return route;
    }),
  }),
};

export const CURRENT_ABUSE_CHANGE_NOTE =
  'High risk of serious harm, or of suicide or self-harm: the referrer’s judgement of a risk now is taken as current abuse, as Kent and Medway’s criterion is written. The 12 months within which an incident had to fall were not part of it, and sent a person judged at high risk, with only an older incident dated, below MARAC. Added to the rules in use when the platform was upgraded.';

/** December 2026: the seeded window for current abuse (12 months, not in the criterion) is taken out; another one set by the partnership stays. */
const CURRENT_ABUSE_JUDGED: RuleUpgrade = {
  marker: '"currentAbuseWithinMonths":null',
  changeNote: CURRENT_ABUSE_CHANGE_NOTE,
  apply: (rules) => {
    const local = rules.criteria.suicideSelfHarm;
    return local.currentAbuseWithinMonths === 12 ? { ...rules, criteria: { ...rules.criteria, suicideSelfHarm: { ...local, currentAbuseWithinMonths: null } } } : rules;
  },
};

export const EXTREME_FEAR_CHANGE_NOTE =
  'Standalone indicators: extreme fear (checklist question 2, very frightened) is pointed out beside weapons, strangulation and more than one person causing harm, as the partnership’s criteria name it. Added to the rules in use when the platform was upgraded.';

/** December 2026: the seeded indicators gain question 2 where they are still the three first seeded. */
const EXTREME_FEAR: RuleUpgrade = {
  marker: '"indicators":["q2"',
  changeNote: EXTREME_FEAR_CHANGE_NOTE,
  apply: (rules) => {
    const judgement = rules.criteria.professionalJudgement;
    const firstSeeded = ['q13', 'q15', 'q17'];
    if (JSON.stringify(judgement.indicators) !== JSON.stringify(firstSeeded)) return rules;
    return { ...rules, criteria: { ...rules.criteria, professionalJudgement: { ...judgement, indicators: ['q2', ...firstSeeded] } } };
  },
};

const UPGRADES: readonly RuleUpgrade[] = [YOUNG_PEOPLE, HARM_UNDER_16, PREGNANCY, HARM_16_17, INDICATORS, ADULT_SAFEGUARDING_FOR_ADULTS, CURRENT_ABUSE_JUDGED, EXTREME_FEAR];

export interface RuleSetUpgraded {
  readonly id: string;
  readonly version: number;
  readonly previousVersion: number;
}

/**
 * A MARAC area whose rules were written before routing learned something gets it once, as a new active version for
 * each thing learned (so every referral still shows the rules it was routed by, and each version says what changed).
 */
async function considered(trx: Transaction<Database>, maracArea: string, marker: string): Promise<boolean> {
  return (await trx.selectFrom('routing_rule_upgrades').select('marker').where('marac_area', '=', maracArea).where('marker', '=', marker).executeTakeFirst()) !== undefined;
}

export async function upgradeRules(trx: Transaction<Database>, seeded: RuleSet, now: string): Promise<RuleSetUpgraded[]> {
  const upgraded: RuleSetUpgraded[] = [];
  for (const upgrade of UPGRADES) {
    const versions = await trx.selectFrom('routing_rule_sets').select(['id', 'version', 'status', 'rules']).where('marac_area', '=', seeded.maracArea).execute();
    const active = versions.find((row) => row.status === 'active');
    if (!active || versions.some((row) => row.rules.includes(upgrade.marker)) || (await considered(trx, seeded.maracArea, upgrade.marker))) continue;
    const current = ruleSetSchema.parse(JSON.parse(active.rules));
    const rules = ruleSetSchema.parse(upgrade.apply(current, seeded));
    // Considered once: rules a partnership has changed so that nothing here applies (a route taken out, a value of
    // its own) stay as they are, now and after any later change of theirs.
    await trx.insertInto('routing_rule_upgrades').values({ marac_area: seeded.maracArea, marker: upgrade.marker, considered_at: now }).onConflict((conflict) => conflict.doNothing()).execute();
    if (JSON.stringify(rules) === JSON.stringify(current)) continue;
    const id = newId();
    const version = (await latestVersionNumber(trx, seeded.maracArea)) + 1;
    const inserted = await insertRuleSet(trx, {
      id,
      marac_area: seeded.maracArea,
      version,
      status: 'active',
      rules: JSON.stringify(rules),
      change_note: upgrade.changeNote,
      created_by_user_id: null,
      created_at: now,
      activated_at: now,
      activated_by_user_id: null,
      retired_at: null,
    });
    if (!inserted) continue;
    await retireActive(trx, seeded.maracArea, id, now);
    upgraded.push({ id, version, previousVersion: active.version });
  }
  return upgraded;
}
