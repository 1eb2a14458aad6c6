import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import { createGate } from '../db/gate.js';
import type { Database } from '../db/schema.js';
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
 * How many of this process's `transaction`s may be open at once. The chain takes one at a time; while one holds it
 * (an insert and a commit), the next can write its own rows: a few in flight keep the chain busy, and any more
 * would only wait for its lock holding pooled connections that other requests need for their reads.
 */
const CHAIN_TRANSACTIONS = 3;

/** The columns of an event in table order, for the PostgreSQL insert that reads its rows from one JSON parameter. */
const COLUMNS = ['seq', 'id', 'at', 'actor_user_id', 'actor_organisation_id', 'action', 'record_type', 'record_id', 'outcome', 'ip', 'request_id', 'details', 'prev_hash', 'hash'] as const;
const COLUMN_TYPES = COLUMNS.map((column) => `${column} ${column === 'seq' ? 'integer' : 'text'}`).join(', ');

/**
 * The text as the database will store it: half of a character (an identifier from a web address cut at a length
 * limit) becomes U+FFFD, as the driver would make it anyway, so the hash covers exactly what is stored.
 */
function wellFormed(text: string | null | undefined): string | null {
  return text?.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') ?? null;
}

interface Head {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Append-only, hash-chained audit trail. Each event's hash covers its content and the previous hash.
 *
 * Appending takes the chain's head, so on PostgreSQL every appending transaction queues on one lock that is held
 * until it commits: callers append last, just before commit, and several events of one change in one step.
 */
export function createAuditService(db: Db, clock: () => Date = () => new Date()) {
  /**
   * The head as this process last wrote it. The transaction before this one in the lock's queue is most often one
   * of this process's own, so the head it left is known without asking: the insert states the head it expects and
   * writes nothing unless that is still the head (another instance wrote since, or that transaction rolled back),
   * and only then is the head read. It saves one round trip of the few made while every other appender waits.
   */
  let expectedHead: Head | undefined;
  const transactions = createGate(CHAIN_TRANSACTIONS);

  function chain(head: Head | undefined, entries: readonly AuditEntry[]): AuditEventTable[] {
    const at = nowIso(clock);
    let seq = head?.seq ?? 0;
    let previousHash = head?.hash ?? GENESIS;
    return entries.map((entry) => {
      seq += 1;
      const row: Omit<AuditEventTable, 'hash'> = {
        seq,
        id: newId(),
        at,
        actor_user_id: wellFormed(entry.actorUserId),
        actor_organisation_id: wellFormed(entry.actorOrganisationId),
        action: entry.action,
        record_type: wellFormed(entry.recordType),
        record_id: wellFormed(entry.recordId),
        outcome: entry.outcome ?? 'success',
        ip: wellFormed(entry.ip),
        request_id: wellFormed(entry.requestId),
        details: JSON.stringify(entry.details ?? {}),
        prev_hash: previousHash,
      };
      previousHash = hashEvent(row);
      return { ...row, hash: previousHash };
    });
  }

  function headOf(rows: readonly AuditEventTable[]): Head | undefined {
    const last = rows.at(-1);
    return last && { seq: last.seq, hash: last.hash };
  }

  async function readHead(executor: Executor): Promise<Head | undefined> {
    return executor.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  /** Inserts `rows` only if `head` is the chain's head; false (nothing written) otherwise. */
  async function insertAfter(executor: Executor, head: Head, rows: readonly AuditEventTable[]): Promise<boolean> {
    const result = await sql`
      insert into audit_events (${sql.join(COLUMNS.map((column) => sql.ref(column)))})
      select ${sql.join(COLUMNS.map((column) => sql.ref(`rows.${column}`)))} from json_to_recordset(${JSON.stringify(rows)}::json) as rows(${sql.raw(COLUMN_TYPES)})
      where exists (select 1 from audit_events where seq = ${head.seq} and hash = ${head.hash})
        and not exists (select 1 from audit_events where seq > ${head.seq})`.execute(executor);
    return Number(result.numAffectedRows ?? 0n) === rows.length;
  }

  async function appendAllWith(executor: Executor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (db.dialect === 'postgres') {
      // The lock is its own statement: a statement reads the rows committed when it starts, so the head is read
      // (or checked) by the next one, which starts only once the transaction before in the queue has committed.
      await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(executor);
      const expected = expectedHead;
      if (expected) {
        const rows = chain(expected, entries);
        if (await insertAfter(executor, expected, rows)) {
          expectedHead = headOf(rows);
          return;
        }
      }
    }
    const rows = chain(await readHead(executor), entries);
    await executor.insertInto('audit_events').values(rows).execute();
    expectedHead = headOf(rows);
  }

  return {
    /** Writes inside the caller's transaction, so the event and the change it records stand or fall together. */
    async recordWith(executor: Executor, entry: AuditEntry): Promise<void> {
      await appendAllWith(executor, [entry]);
    },
    /** Several events of one change, chained in order in one step (one lock, one read of the head, one insert). */
    recordAllWith: appendAllWith,
    /**
     * A transaction for a change that appends to the chain, queued in this process first (see CHAIN_TRANSACTIONS):
     * for busy paths. Its work must not wait for another such transaction.
     */
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return transactions.run(() => db.kysely.transaction().execute(work));
    },
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
