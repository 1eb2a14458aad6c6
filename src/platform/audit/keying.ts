import { ConfigError } from '../../config.js';
import { recordAuditKeying, type KeySettings, type PlatformKeys } from '../crypto/keys.js';
import type { Db } from '../db/database.js';
import { sealKeyIdOf } from './service.js';

type KeyingSettings = Pick<KeySettings, 'AUDIT_KEYS' | 'AUDIT_UNSEALED_UNTIL' | 'DATA_DIR'>;

/**
 * Where the unsealed start of the trail ends, settled before the platform writes an event. With AUDIT_KEYS it is
 * the operator's AUDIT_UNSEALED_UNTIL, checked against the trail: a trail that begins unsealed needs it (or every
 * older event would read as rewritten), and it cannot lie past the trail's end (or later events could be plain).
 * With the embedded key file it is recorded in the file the first time the service starts after the upgrade
 * (`record`): the operator's own commands do not, as the earlier code may still be running beside them.
 */
export async function settleAuditKeying(keys: PlatformKeys, db: Db, settings: KeyingSettings, { record }: { record: boolean }): Promise<PlatformKeys> {
  if (settings.AUDIT_KEYS) {
    await checkUnsealedSetting(db, settings.AUDIT_UNSEALED_UNTIL);
    return keys;
  }
  if (keys.auditUnsealedUntil !== null || !record) return keys;
  return { ...keys, auditUnsealedUntil: recordAuditKeying(settings.DATA_DIR, await lastEventSeq(db)) };
}

async function checkUnsealedSetting(db: Db, setting: number | undefined): Promise<void> {
  const last = await lastEventSeq(db);
  if (setting !== undefined && setting > last) {
    throw new ConfigError(`AUDIT_UNSEALED_UNTIL is ${String(setting)}, but the audit trail's last event is ${String(last)}: set it to the last event written before the upgrade to audit keys.`);
  }
  if (setting !== undefined) return;
  const first = await db.kysely.selectFrom('audit_events').select('hash').orderBy('seq').limit(1).executeTakeFirst();
  if (!first || sealKeyIdOf(first.hash) !== undefined) return;
  const lastPlain = await db.kysely.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).where('hash', 'not like', '%.%').executeTakeFirst();
  throw new ConfigError(
    `The audit trail begins with events written before audit keys (the last without a seal is event ${String(lastPlain?.seq ?? '?')}): set AUDIT_UNSEALED_UNTIL to the last event written before this upgrade, so that they are checked as they were written, and start again.`,
  );
}

/** The number of the last event written (0 for none). */
export async function lastEventSeq(db: Db): Promise<number> {
  const head = await db.kysely.selectFrom('audit_chain_head').select('seq').where('id', '=', 1).executeTakeFirst();
  return head?.seq ?? 0;
}
