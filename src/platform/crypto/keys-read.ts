import { sql } from 'kysely';
import { ConfigError } from '../../config.js';
import type { Db } from '../db/database.js';
import { FieldCrypto, type KeyMaterial } from './field-crypto.js';
import type { EncryptedColumns } from '../modules.js';

/**
 * Data encrypted under a key this start was not given (an old key dropped before `rotate-keys` had finished) fails
 * on every page that reads it. The first and last row of each encrypted table are tried as the platform opens, and
 * the setting to change is named, rather than a practitioner meeting an error page.
 */
export async function checkKeysReadData(db: Db, keys: KeyMaterial, tables: readonly EncryptedColumns[]): Promise<void> {
  const crypto = new FieldCrypto(keys);
  for (const { table, primaryKey, columns } of tables) {
    for (const order of [sql`asc`, sql`desc`]) {
      const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)} order by ${sql.ref(primaryKey)} ${order} limit 1`.execute(db.kysely);
      for (const value of Object.values(rows[0] ?? {})) {
        if (typeof value === 'string') checkReads(crypto, value, table);
      }
    }
  }
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
