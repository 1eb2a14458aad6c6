import type { Executor } from '../../../platform/db/database.js';
import { newId } from '../../../platform/db/ids.js';
import type { DirectoryHistoryTable } from '../tables.js';

export type FieldChanges = Record<string, { from: string; to: string }>;

export interface HistoryEntry {
  readonly recordType: DirectoryHistoryTable['record_type'];
  readonly recordId: string;
  readonly action: string;
  readonly actorUserId: string | null;
  readonly at: string;
  readonly version: number;
  readonly changes: FieldChanges;
}

export async function appendHistory(executor: Executor, entry: HistoryEntry): Promise<void> {
  await executor
    .insertInto('directory_history')
    .values({
      id: newId(),
      record_type: entry.recordType,
      record_id: entry.recordId,
      action: entry.action,
      actor_user_id: entry.actorUserId,
      at: entry.at,
      version: entry.version,
      changes: JSON.stringify(entry.changes),
    })
    .execute();
}

export async function listHistory(executor: Executor, recordType: HistoryEntry['recordType'], recordId: string) {
  const rows = await executor
    .selectFrom('directory_history')
    .selectAll()
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, version: row.version, changes: JSON.parse(row.changes) as FieldChanges }));
}

/**
 * What fields changed after `version` held at that version (each one's value before its first change since): with
 * the record as it is now, the record as an editor who opened `version` saw it.
 */
export async function valuesChangedSince(executor: Executor, recordType: HistoryEntry['recordType'], recordId: string, version: number): Promise<Record<string, string>> {
  const rows = await executor
    .selectFrom('directory_history')
    .select('changes')
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .where('version', '>', version)
    .orderBy('version')
    .orderBy('id')
    .execute();
  const before: Record<string, string> = {};
  for (const row of rows) {
    for (const [field, change] of Object.entries(JSON.parse(row.changes) as FieldChanges)) before[field] ??= change.from;
  }
  return before;
}

/** Rewrites one field in every history entry of a record: a location made confidential keeps no old address. */
export async function redactHistoryField(executor: Executor, recordType: HistoryEntry['recordType'], recordId: string, field: string, replacement: string): Promise<void> {
  const rows = await executor.selectFrom('directory_history').select(['id', 'changes']).where('record_type', '=', recordType).where('record_id', '=', recordId).execute();
  for (const row of rows) {
    const changes = JSON.parse(row.changes) as FieldChanges;
    const change = changes[field];
    if (!change) continue;
    changes[field] = { from: change.from ? replacement : '', to: change.to ? replacement : '' };
    await executor.updateTable('directory_history').set({ changes: JSON.stringify(changes) }).where('id', '=', row.id).execute();
  }
}
