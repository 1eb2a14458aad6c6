import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { RoutingRuleSetTable } from '../tables.js';

export type RuleSetRow = Selectable<RoutingRuleSetTable>;

export function activeRuleSetRows(executor: Executor): Promise<RuleSetRow[]> {
  return executor.selectFrom('routing_rule_sets').selectAll().where('status', '=', 'active').orderBy('marac_area').execute();
}

export function ruleSetRowById(executor: Executor, id: string): Promise<RuleSetRow | undefined> {
  return executor.selectFrom('routing_rule_sets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function ruleSetCountForArea(executor: Executor, maracArea: string): Promise<number> {
  const row = await executor.selectFrom('routing_rule_sets').select((eb) => eb.fn.countAll().as('n')).where('marac_area', '=', maracArea).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** False when another instance wrote the same area and version first (both starting at once). */
export async function insertRuleSet(executor: Executor, row: Insertable<RoutingRuleSetTable>): Promise<boolean> {
  const result = await executor
    .insertInto('routing_rule_sets')
    .values(row)
    .onConflict((oc) => oc.columns(['marac_area', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export function organisationIdsBySlug(executor: Executor, slugs: readonly string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return executor.selectFrom('organisations').select(['id', 'slug', 'name']).where('slug', 'in', slugs).execute();
}

/**
 * Receiving organisations named by the routing file that the partnership's list lacks (the synthetic
 * commissioned services). Reference data, inserted the way the admin reference seed inserts its own.
 */
export async function insertMissingOrganisation(executor: Executor, organisation: { slug: string; name: string; kind: string; area: string | null }, now: string, id: string): Promise<void> {
  await executor
    .insertInto('organisations')
    .values({ id, slug: organisation.slug, name: organisation.name, kind: organisation.kind, area_code: organisation.area, active: 1, sso_issuer: null, sso_client_id: null, sso_client_secret_enc: null, version: 1, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}
