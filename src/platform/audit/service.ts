import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import { newId, nowIso } from '../db/ids.js';
import type { AuditEventTable } from './tables.js';
import type { AuditAction } from './catalogue.js';

export interface AuditContext {
  readonly actorUserId?: string | null | undefined;
  readonly actorOrganisationId?: string | null | undefined;
  readonly ip?: string | null | undefined;
  readonly requestId?: string | null | undefined;
}

export interface AuditEntry extends AuditContext {
  readonly action: AuditAction;
  readonly outcome?: AuditEventTable['outcome'];
  readonly recordType?: string | undefined;
  readonly recordId?: string | undefined;
  /** Identifiers and codes only: never names, contact details or case text. */
  readonly details?: Record<string, string | number | boolean | null>;
}

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 7_104_001;

/**
 * Append-only, hash-chained audit trail. Each event's hash covers its content and the previous hash.
 *
 * Appending takes the chain's head, so on PostgreSQL every appending transaction queues on one lock that is held
 * until it commits: callers append last, just before commit, and several events of one change in one step.
 */
export function createAuditService(db: Db, clock: () => Date = () => new Date()) {
  async function appendAllWith(executor: Executor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // The lock is its own statement: a statement reads the rows committed when it starts, so the head is read by
    // the next one, which starts only once the transaction before in the queue has committed.
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(executor);
    const last = await executor.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const at = nowIso(clock);
    let seq = last?.seq ?? 0;
    let previousHash = last?.hash ?? GENESIS;
    const rows = entries.map((entry) => {
      seq += 1;
      const row: Omit<AuditEventTable, 'hash'> = {
        seq,
        id: newId(),
        at,
        actor_user_id: entry.actorUserId ?? null,
        actor_organisation_id: entry.actorOrganisationId ?? null,
        action: entry.action,
        record_type: entry.recordType ?? null,
        record_id: entry.recordId ?? null,
        outcome: entry.outcome ?? 'success',
        ip: entry.ip ?? null,
        request_id: entry.requestId ?? null,
        details: JSON.stringify(entry.details ?? {}),
        prev_hash: previousHash,
      };
      previousHash = hashEvent(row);
      return { ...row, hash: previousHash };
    });
    await executor.insertInto('audit_events').values(rows).execute();
  }

  return {
    /** Writes inside the caller's transaction, so the event and the change it records stand or fall together. */
    async recordWith(executor: Executor, entry: AuditEntry): Promise<void> {
      await appendAllWith(executor, [entry]);
    },
    /** Several events of one change, chained in order in one step (one lock, one read of the head, one insert). */
    recordAllWith: appendAllWith,
    async record(entry: AuditEntry): Promise<void> {
      await db.kysely.transaction().execute((trx) => appendAllWith(trx, [entry]));
    },
    async verify(): Promise<AuditVerification> {
      return verifyChain(db);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: string[];
}

export function hashEvent(row: Omit<AuditEventTable, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.at,
    row.actor_user_id,
    row.actor_organisation_id,
    row.action,
    row.record_type,
    row.record_id,
    row.outcome,
    row.ip,
    row.request_id,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

async function verifyChain(db: Db): Promise<AuditVerification> {
  const problems: string[] = [];
  let previousHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db.kysely.selectFrom('audit_events').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) problems.push(`Events ${String(expectedSeq)} to ${String(row.seq - 1)} are missing (deleted).`);
      if (row.prev_hash !== previousHash) problems.push(`Event ${String(row.seq)} does not follow the event before it.`);
      const { hash, ...content } = row;
      if (hashEvent(content) !== hash) problems.push(`Event ${String(row.seq)} has been edited since it was written.`);
      previousHash = hash;
      expectedSeq = row.seq + 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  return { ok: problems.length === 0, checked, problems };
}
