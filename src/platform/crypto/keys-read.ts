import { sql, type RawBuilder } from 'kysely';
import { ConfigError } from '../../config.js';
import type { Db } from '../db/database.js';
import { FieldCrypto, type KeyMaterial } from './field-crypto.js';
import type { EncryptedColumns } from '../modules.js';

/**
 * Data encrypted under a key this start was not given (an old key dropped before `rotate-keys` had finished) fails
 * on every page that reads it. As the platform opens, every encrypted value's key must be one configured (a scan
 * of each encrypted column, wherever rotation has reached), and the first row of each table must decrypt (the key
 * under each id is the right one); otherwise the setting to change is named, rather than a practitioner meeting an
 * error page.
 */
export async function checkKeysReadData(db: Db, keys: KeyMaterial, tables: readonly EncryptedColumns[]): Promise<void> {
  const crypto = new FieldCrypto(keys);
  const known = keys.encryptionKeys.map(({ id }) => `e1:${id.replace(/[\\%_]/g, (character) => `\\${character}`)}:%`);
  for (const { table, primaryKey, columns } of tables) {
    const underOtherKeys = columns.map((column) => underAnotherKey(sql.ref(column), known));
    const { rows: others } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)} where ${sql.join(underOtherKeys, sql` or `)} limit 1`.execute(db.kysely);
    const { rows: first } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)} order by ${sql.ref(primaryKey)} limit 1`.execute(db.kysely);
    for (const value of [...Object.values(others[0] ?? {}), ...Object.values(first[0] ?? {})]) {
      if (typeof value === 'string') checkReads(crypto, value, table);
    }
  }
}

/** A value written by this platform (it starts "e1:") under a key not among those configured. */
function underAnotherKey(column: RawBuilder<unknown>, known: readonly string[]): RawBuilder<unknown> {
  const notKnown = known.map((pattern) => sql`${column} not like ${pattern} escape '\\'`);
  return sql`(${column} like 'e1:%' and ${sql.join(notKnown, sql` and `)})`;
}

function checkReads(crypto: FieldCrypto, stored: string, table: string): void {
  try {
    crypto.decrypt(stored);
  } catch {
    throw new ConfigError(
      `The encryption keys configured cannot read the data in ${table}, encrypted under key "${FieldCrypto.keyIdOf(stored) ?? '?'}". Keep every key the data still uses in ENCRYPTION_KEYS (or DATA_DIR/keys.json) until \`npm run cli -- rotate-keys\` has finished, then remove the old one.`,
    );
  }
}
