import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../src/platform/db/database.js';

/**
 * Tables a refused request may rightly touch: the audit trail records the refusal (its events and its head), the
 * throttle counts failed sign-ins, and sessions note activity. Everything else must be byte-for-byte the same after a 4xx.
 */
export const TABLES_A_REFUSAL_MAY_TOUCH: readonly string[] = ['audit_events', 'audit_chain_head', 'sign_in_throttle', 'sessions'];

export type DatabaseSnapshot = ReadonlyMap<string, { readonly rows: number; readonly hash: string }>;

/** Row count and a content hash of every table (found from the catalogue, so later tables are included). */
export async function snapshotDatabase(db: Db): Promise<DatabaseSnapshot> {
  const snapshot = new Map<string, { rows: number; hash: string }>();
  for (const table of await tableNames(db)) {
    if (TABLES_A_REFUSAL_MAY_TOUCH.includes(table)) continue;
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db.kysely);
    const rows = result.rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).sort();
    snapshot.set(table, { rows: rows.length, hash: createHash('sha256').update(rows.join('\n')).digest('hex') });
  }
  return snapshot;
}

/** The tables whose content differs between two snapshots, with their row counts. */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((name) => before.get(name)?.hash !== after.get(name)?.hash)
    .map((name) => `${name} (${String(before.get(name)?.rows ?? 0)} -> ${String(after.get(name)?.rows ?? 0)} rows)`);
}

/**
 * A cheap value that is the same as long as nothing at all has been written: SQLite's count of changes made on
 * this connection (the app's and the test's), PostgreSQL's WAL insert position. When it moves, take a snapshot.
 */
export async function writeMarker(db: Db): Promise<string> {
  const query = db.dialect === 'sqlite' ? sql<{ marker: unknown }>`select total_changes() as marker` : sql<{ marker: unknown }>`select pg_current_wal_insert_lsn()::text as marker`;
  const result = await query.execute(db.kysely);
  return String(result.rows[0]?.marker);
}

async function tableNames(db: Db): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const result = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db.kysely);
    return result.rows.map((row) => row.name);
  }
  const result = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db.kysely);
  return result.rows.map((row) => row.name);
}
