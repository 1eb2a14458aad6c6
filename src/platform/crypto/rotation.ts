import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { BlindIndexedRows, EncryptedColumns, FeatureModule } from '../modules.js';
import { USER_EMAIL_INDEX } from '../access/users.js';
import { RECOVERY_CODE_INDEX } from '../auth/recovery-codes.js';
import { PLATFORM_ENCRYPTED_COLUMNS } from './encrypted-columns.js';
import { FieldCrypto } from './field-crypto.js';
import { isUniqueViolation } from '../db/unique-violation.js';

/** Every table with blind indexes: the platform's own and each module's. */
export function allBlindIndexes(modules: readonly FeatureModule[]): BlindIndexedRows[] {
  return [USER_EMAIL_INDEX, RECOVERY_CODE_INDEX, ...modules.flatMap((module) => module.blindIndexes ?? [])];
}

/** Every encrypted column: the platform's own and each module's, one entry per table. */
export function allEncryptedColumns(modules: readonly FeatureModule[]): EncryptedColumns[] {
  const byTable = new Map<string, { primaryKey: string; columns: Set<string> }>();
  for (const entry of [...PLATFORM_ENCRYPTED_COLUMNS, ...modules.flatMap((module) => module.encryptedColumns ?? [])]) {
    const existing = byTable.get(entry.table);
    if (existing && existing.primaryKey !== entry.primaryKey) throw new Error(`Table ${entry.table} is declared with two primary keys.`);
    const columns = existing?.columns ?? new Set<string>();
    for (const column of entry.columns) columns.add(column);
    byTable.set(entry.table, { primaryKey: entry.primaryKey, columns });
  }
  return [...byTable].map(([table, { primaryKey, columns }]) => ({ table, primaryKey, columns: [...columns] }));
}

export interface TableRotation {
  readonly table: string;
  /** Values now encrypted under the current key by this run. */
  rewritten: number;
  /** Values that already used the current key. */
  alreadyCurrent: number;
  /** Rows the running service changed between our read and our write; left as the service wrote them. */
  changedMeanwhile: number;
  /** Where a value could not be decrypted with any configured key: table, row and column, never the value. */
  readonly unreadable: string[];
}

export interface RotationOptions {
  readonly batchSize?: number;
  readonly onTable?: (result: TableRotation) => void;
}

type Row = Record<string, unknown>;

/**
 * Re-encrypts every encrypted value that is not under the current key, in batches, one row per statement, while
 * the service keeps running. Each write only lands if the row still holds what was read (compare-and-set), so a
 * change the service makes meanwhile is never overwritten; old keys stay configured, so every value stays readable
 * throughout. Safe to run again: values already under the current key are left alone.
 */
export async function reencryptAll(db: Db, crypto: FieldCrypto, tables: readonly EncryptedColumns[], options: RotationOptions = {}): Promise<TableRotation[]> {
  const results: TableRotation[] = [];
  for (const spec of tables) {
    const result = await reencryptTable(db, crypto, spec, options.batchSize ?? 500);
    options.onTable?.(result);
    results.push(result);
  }
  return results;
}

async function reencryptTable(db: Db, crypto: FieldCrypto, spec: EncryptedColumns, batchSize: number): Promise<TableRotation> {
  const result: TableRotation = { table: spec.table, rewritten: 0, alreadyCurrent: 0, changedMeanwhile: 0, unreadable: [] };
  await forEachRow(db, spec.table, spec.primaryKey, spec.columns, batchSize, (row) => reencryptRow(db, crypto, spec, row, result));
  return result;
}

/** Every row of a table in primary-key order, a batch at a time, so a large table is never read whole. */
async function forEachRow(db: Db, table: string, primaryKey: string, columns: readonly string[], batchSize: number, visit: (row: Row) => Promise<void>): Promise<void> {
  const key = sql.ref(primaryKey);
  const selected = sql.join(columns.map((column) => sql.ref(column)));
  let after: unknown;
  for (;;) {
    const batch = await sql<Row>`select ${key}, ${selected} from ${sql.table(table)} ${after === undefined ? sql`` : sql`where ${key} > ${after}`} order by ${key} limit ${batchSize}`.execute(db.kysely);
    for (const row of batch.rows) await visit(row);
    const last = batch.rows.at(-1);
    if (!last || batch.rows.length < batchSize) return;
    after = last[primaryKey];
  }
}

/** The column holds what was read: null compared as null, so a compare-and-set never misses an empty column. */
function stillHolds(column: string, value: unknown) {
  return value === null || value === undefined ? sql`${sql.ref(column)} is null` : sql`${sql.ref(column)} = ${value}`;
}

async function reencryptRow(db: Db, crypto: FieldCrypto, spec: EncryptedColumns, row: Row, result: TableRotation): Promise<void> {
  const changes: Array<{ column: string; before: string; after: string }> = [];
  for (const column of spec.columns) {
    const stored = row[column];
    if (typeof stored !== 'string') continue;
    if (FieldCrypto.keyIdOf(stored) === crypto.currentKeyId) {
      result.alreadyCurrent += 1;
      continue;
    }
    try {
      changes.push({ column, before: stored, after: crypto.encrypt(crypto.decrypt(stored)) });
    } catch {
      result.unreadable.push(`${spec.table}.${column} where ${spec.primaryKey} = ${String(row[spec.primaryKey])}`);
    }
  }
  if (changes.length === 0) return;
  const assignments = sql.join(changes.map((change) => sql`${sql.ref(change.column)} = ${change.after}`));
  const unchanged = changes.map((change) => stillHolds(change.column, change.before));
  const written = await sql`update ${sql.table(spec.table)} set ${assignments} where ${sql.join([stillHolds(spec.primaryKey, row[spec.primaryKey]), ...unchanged], sql` and `)}`.execute(db.kysely);
  if (written.numAffectedRows === 1n) result.rewritten += changes.length;
  else result.changedMeanwhile += 1;
}

/**
 * Works out every blind index again under the current blind index key, from the decrypted values it was made of,
 * while the service keeps running: the service matches under every configured key meanwhile, and each write lands
 * only if the row still holds what was read (its sources and its indexes). Safe to run again.
 */
export async function reindexAll(db: Db, crypto: FieldCrypto, tables: readonly BlindIndexedRows[], options: RotationOptions = {}): Promise<TableRotation[]> {
  const results: TableRotation[] = [];
  for (const spec of tables) {
    const result: TableRotation = { table: spec.table, rewritten: 0, alreadyCurrent: 0, changedMeanwhile: 0, unreadable: [] };
    const indexColumns = Object.keys(spec.indexes(crypto, Object.fromEntries(spec.sources.map((source) => [source, null]))));
    await forEachRow(db, spec.table, spec.primaryKey, [...spec.sources, ...indexColumns], options.batchSize ?? 500, (row) => reindexRow(db, crypto, spec, indexColumns, row, result));
    options.onTable?.(result);
    results.push(result);
  }
  return results;
}

async function reindexRow(db: Db, crypto: FieldCrypto, spec: BlindIndexedRows, indexColumns: readonly string[], row: Row, result: TableRotation): Promise<void> {
  let plain: Record<string, string | null>;
  try {
    plain = Object.fromEntries(spec.sources.map((source) => [source, typeof row[source] === 'string' ? crypto.decrypt(row[source]) : null]));
  } catch {
    result.unreadable.push(`${spec.table} where ${spec.primaryKey} = ${String(row[spec.primaryKey])}`);
    return;
  }
  const wanted = spec.indexes(crypto, plain);
  const changed = indexColumns.filter((column) => (wanted[column] ?? null) !== (row[column] ?? null));
  if (changed.length === 0) {
    result.alreadyCurrent += 1;
    return;
  }
  const assignments = sql.join(changed.map((column) => sql`${sql.ref(column)} = ${wanted[column] ?? null}`));
  const unchanged = [spec.primaryKey, ...spec.sources, ...indexColumns].map((column) => stillHolds(column, row[column]));
  let written;
  try {
    written = await sql`update ${sql.table(spec.table)} set ${assignments} where ${sql.join(unchanged, sql` and `)}`.execute(db.kysely);
  } catch (error) {
    // Two accounts for one address, made at the same moment by instances indexing with different keys mid-rotation:
    // only a person can decide which to keep, so the row is named and left as it is.
    if (!changed.some((column) => isUniqueViolation(error, spec.table, column))) throw error;
    result.unreadable.push(`${spec.table} where ${spec.primaryKey} = ${String(row[spec.primaryKey])}: another row has the same ${changed.join(', ')} (a duplicate to resolve)`);
    return;
  }
  if (written.numAffectedRows === 1n) result.rewritten += 1;
  else result.changedMeanwhile += 1;
}
