import type { Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/db/ids.js';
import { latestVersionNumber, retireActive } from './versions.js';
import { insertRuleSet } from './repository.js';
import { ruleSetSchema, type Condition, type RuleSet } from './schema.js';

/** The routes seed/routing-rules.json gained when routing learned the person at risk's age (December 2026). */
const YOUNG_PEOPLE_ROUTES = new Set(['under-16', 'young-person']);
const NOT_UNDER_16: Condition = { not: { personAgeBand: ['under_16'] } };

export const YOUNG_PEOPLE_CHANGE_NOTE =
  'People under 18: under 16, children’s safeguarding leads and the case does not go to MARAC or adult services (the domestic abuse definition and MARAC are for people aged 16 and over); at 16 or 17, children’s safeguarding is told as well. Added to the rules in use when the platform was upgraded.';

/** The rules in use with the seed's routes for young people, and every other route but children's safeguarding kept from under-16s. */
export function withYoungPeopleRoutes(rules: RuleSet, seeded: RuleSet): RuleSet {
  const kept = rules.routes.map((route) => (route.kind === 'children_safeguarding' ? route : { ...route, when: { all: [route.when, NOT_UNDER_16] } }));
  return ruleSetSchema.parse({ ...rules, routes: [...kept, ...seeded.routes.filter((route) => YOUNG_PEOPLE_ROUTES.has(route.id))] });
}

/**
 * A MARAC area whose rules were written before routing knew ages gets them once, as a new active version (so every
 * referral still shows the rules it was routed by). An area where any version already speaks of ages is left alone:
 * a partnership that took them out meant to.
 */
export async function addYoungPeopleRoutes(trx: Transaction<Database>, seeded: RuleSet, now: string): Promise<{ id: string; version: number; previousVersion: number } | undefined> {
  const versions = await trx.selectFrom('routing_rule_sets').select(['id', 'version', 'status', 'rules']).where('marac_area', '=', seeded.maracArea).execute();
  const active = versions.find((row) => row.status === 'active');
  if (!active || versions.some((row) => row.rules.includes('personAgeBand'))) return undefined;
  const rules = withYoungPeopleRoutes(ruleSetSchema.parse(JSON.parse(active.rules)), seeded);
  const id = newId();
  const version = (await latestVersionNumber(trx, seeded.maracArea)) + 1;
  const inserted = await insertRuleSet(trx, {
    id,
    marac_area: seeded.maracArea,
    version,
    status: 'active',
    rules: JSON.stringify(rules),
    change_note: YOUNG_PEOPLE_CHANGE_NOTE,
    created_by_user_id: null,
    created_at: now,
    activated_at: now,
    activated_by_user_id: null,
    retired_at: null,
  });
  if (!inserted) return undefined;
  await retireActive(trx, seeded.maracArea, id, now);
  return { id, version, previousVersion: active.version };
}
