import type { Executor } from '../../../platform/db/database.js';

/** Queries on an area's rule-set versions shared by the rules editor and the start-up upgrade of older rules. */

export async function latestVersionNumber(executor: Executor, maracArea: string): Promise<number> {
  const row = await executor.selectFrom('routing_rule_sets').select((eb) => eb.fn.max('version').as('top')).where('marac_area', '=', maracArea).executeTakeFirst();
  return row?.top ?? 0;
}

/** Retires the area's active version(s) other than `keepId`; returns how many. */
export async function retireActive(executor: Executor, maracArea: string, keepId: string, now: string): Promise<number> {
  const result = await executor.updateTable('routing_rule_sets').set({ status: 'retired', retired_at: now }).where('marac_area', '=', maracArea).where('status', '=', 'active').where('id', '!=', keepId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
