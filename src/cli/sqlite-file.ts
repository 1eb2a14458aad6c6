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

/** The triggers that keep the audit trail append-only in the database itself, from the migration that made them. */
const AUDIT_PROTECTION = {
  migration: '2026-12-06-0041-audit-append-only',
  triggers: ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_head_forward_only', 'audit_chain_head_no_delete'],
};

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
    checkAuditProtection(database, migrations.map((migration) => migration.name), file);
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

/**
 * The platform never removes the audit trail's triggers: a file without them was changed outside it, perhaps to
 * rewrite the trail, and restored it would leave the trail open to change.
 */
function checkAuditProtection(database: SQLite.Database, migrations: readonly string[], file: string): void {
  if (!migrations.includes(AUDIT_PROTECTION.migration)) return;
  const present = new Set((database.prepare("select name from sqlite_master where type = 'trigger'").all() as Array<{ name: string }>).map((row) => row.name));
  const missing = AUDIT_PROTECTION.triggers.filter((trigger) => !present.has(trigger));
  if (missing.length > 0) {
    throw new OperatorError(`${file} has lost the audit trail's append-only protection (no ${missing.join(', ')} trigger). The platform never removes it, so the file was changed outside the platform.`);
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
