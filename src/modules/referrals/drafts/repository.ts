import type { Insertable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { ReferralDraftTable } from '../tables.js';

export function draftRow(executor: Executor, id: string, userId: string) {
  return executor.selectFrom('referral_drafts').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export function draftRowsOf(executor: Executor, userId: string) {
  return executor.selectFrom('referral_drafts').selectAll().where('user_id', '=', userId).orderBy('updated_at', 'desc').execute();
}

export async function insertDraftRow(executor: Executor, row: Insertable<ReferralDraftTable>): Promise<void> {
  await executor.insertInto('referral_drafts').values(row).execute();
}

export function updateDraftRow(executor: Executor, id: string, userId: string, version: number, change: { answers_enc: string; last_page: string; updated_at: string }) {
  return executor
    .updateTable('referral_drafts')
    .set({ ...change, version: version + 1 })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function deleteDraftRow(executor: Executor, id: string, userId: string): Promise<boolean> {
  const result = await executor.deleteFrom('referral_drafts').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Drafts last changed before `before`, oldest first: what the expiry job deletes. */
export function draftsUnchangedSince(executor: Executor, before: string, limit: number) {
  return executor.selectFrom('referral_drafts').select(['id', 'user_id', 'updated_at']).where('updated_at', '<', before).orderBy('updated_at').limit(limit).execute();
}

/** Deletes those of `ids` still unchanged since `before` (one saved meanwhile stays) and says which went. */
export async function deleteDraftsUnchangedSince(executor: Executor, ids: readonly string[], before: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const deleted = await executor.deleteFrom('referral_drafts').where('id', 'in', [...ids]).where('updated_at', '<', before).returning('id').execute();
  return deleted.map((row) => row.id);
}
