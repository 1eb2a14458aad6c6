import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { FieldCrypto } from '../platform/crypto/field-crypto.js';
import { sealKeyIdOf } from '../platform/audit/service.js';
import { isKeyId, type PlatformKeys } from '../platform/crypto/keys.js';
import { OperatorError } from './output.js';

export interface DatabaseFileSummary {
  readonly migrations: number;
  readonly latestMigration: string;
  readonly users: number;
  readonly auditEvents: number;
}

const REQUIRED_TABLES = ['kysely_migration', 'users', 'organisations', 'audit_events'];

/** Opens a file read-only and checks it is a whole, healthy platform database; explains what is wrong if not. */
export function inspectPlatformDatabase(file: string, keys?: PlatformKeys): DatabaseFileSummary {
  if (!fs.existsSync(file)) throw new OperatorError(`There is no file at ${file}.`);
  let database: SQLite.Database | undefined;
  try {
    database = new SQLite(file, { readonly: true, fileMustExist: true });
    const integrity = database.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const verdict = integrity.map((row) => row.integrity_check);
    if (verdict.length !== 1 || verdict[0] !== 'ok') throw new OperatorError(`${file} is damaged (PRAGMA integrity_check): ${verdict.slice(0, 5).join('; ')}`);
    const tables = new Set((database.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((row) => row.name));
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) throw new OperatorError(`${file} is an SQLite database but not one of this platform's (no ${missing.join(', ')} table).`);
    const migrations = database.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>;
    if (migrations.length === 0) throw new OperatorError(`${file} has no migrations recorded: it is not a usable platform database.`);
    const count = (table: string) => (database?.prepare(`select count(*) as count from ${table}`).get() as { count: number }).count;
    if (keys) {
      checkKeysRead(database, keys, file);
      checkAuditKeys(database, keys, file);
    }
    return { migrations: migrations.length, latestMigration: migrations.at(-1)?.name ?? '', users: count('users'), auditEvents: count('audit_events') };
  } catch (error: unknown) {
    if (error instanceof OperatorError) throw error;
    throw new OperatorError(`${file} is not a readable SQLite database (${error instanceof Error ? error.message : String(error)}).`);
  } finally {
    database?.close();
  }
}

/** A database is only useful with the keys that encrypted it: try one value before anything is replaced. */
function checkKeysRead(database: SQLite.Database, keys: PlatformKeys, file: string): void {
  const sample = database.prepare('select email_enc from users limit 1').get() as { email_enc: string } | undefined;
  if (!sample) return;
  try {
    new FieldCrypto(keys).decrypt(sample.email_enc);
  } catch {
    throw new OperatorError(
      `The encryption keys configured here cannot read ${file} (its values use key "${FieldCrypto.keyIdOf(sample.email_enc) ?? '?'}"). Put the matching keys in place first: DATA_DIR/keys.json from the same installation, or ENCRYPTION_KEYS and BLIND_INDEX_KEY.`,
    );
  }
}

/** Nor is its audit trail checkable without the key that sealed its newest event (a backup made after rotate-keys --audit). */
function checkAuditKeys(database: SQLite.Database, keys: PlatformKeys, file: string): void {
  const newest = database.prepare('select hash from audit_events order by seq desc limit 1').get() as { hash: string } | undefined;
  const keyId = newest && sealKeyIdOf(newest.hash);
  if (keyId === undefined || keys.auditKeys.some(({ id }) => id === keyId)) return;
  throw new OperatorError(
    `The audit keys configured here did not seal ${file}'s audit trail (its newest event is sealed under key "${isKeyId(keyId) ? keyId : '?'}"), so it could not be checked. Put the matching keys in place first: DATA_DIR/keys.json from the same installation, or AUDIT_KEYS.`,
  );
}
