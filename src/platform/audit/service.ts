import { createHash, createHmac } from 'node:crypto';
import { sql, type QueryCreator, type Transaction } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import { createGate } from '../db/gate.js';
import { afterWrites, withWrites, type RowWrite } from '../db/row-write.js';
import type { Database } from '../db/schema.js';
import { newId, nowIso } from '../db/ids.js';
import { isKeyId } from '../crypto/keys.js';
import type { AuditEventTable } from './tables.js';
import type { Actor } from '../access/policy.js';
import type { RequestOrigin } from '../auth/service.js';
import type { AuditAction } from './catalogue.js';

export interface AuditContext {
  readonly actorUserId?: string | null | undefined;
  readonly actorOrganisationId?: string | null | undefined;
  readonly ip?: string | null | undefined;
  readonly requestId?: string | null | undefined;
}

/** Who acted (and, given the request's origin, from where), as an audit event records it. */
export function actedBy(actor: Pick<Actor, 'userId' | 'organisationId'>, origin?: RequestOrigin): AuditContext {
  return { actorUserId: actor.userId, actorOrganisationId: actor.organisationId, ...origin };
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
/**
 * How a change statement fails when the head it expected is not the chain's end: its check breaks the head's primary
 * key on purpose, or its events meet those that an instance of the code from before the head had a row (see
 * lockHead) committed past it while the statement ran.
 */
const HEAD_MOVED = new Set(['audit_chain_head_pkey', 'audit_events_pkey']);
/**
 * How many of this process's `transaction`s and `writeWithEvents` may be under way at once. The chain takes one at
 * a time; while one holds it (its append and its commit), the next can write its own rows: a few in flight keep the
 * chain busy, and any more would only wait for its lock holding pooled connections that other requests need.
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

/** The failure of a change statement whose expected head had moved (see appendStatement). */
function headMoved(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'constraint' in error && typeof error.constraint === 'string' && HEAD_MOVED.has(error.constraint);
}

/** A key that seals audit events: kept outside the database (AUDIT_KEYS, or the embedded key file). */
export interface AuditKey {
  readonly id: string;
  readonly key: Buffer;
}

/** What the trail is checked with, all kept outside the database (see PlatformKeys). */
export interface AuditKeying {
  /** The first seals new events; each one checks the events it sealed. */
  readonly keys: readonly AuditKey[];
  /**
   * The last event written before the trail was sealed, which alone may carry plain hashes. Null until the service
   * first starts after the upgrade and records it: meanwhile the plain start is taken as far as it goes.
   */
  readonly unsealedUntil: number | null;
}

/** At most this many problems are listed: a trail rewritten wholesale is said in a page, not in a million lines. */
const LISTED_PROBLEMS = 200;

/**
 * Append-only, hash-chained audit trail. Each event's seal is a keyed hash (HMAC-SHA-256 under the first of
 * `keys`) of its content and the seal before it, so someone able to write to the database but without the key
 * cannot rebuild a chain that checks; the chain's head (audit_chain_head) moves with every append, in the same
 * transaction.
 *
 * Appending takes the head's row lock, so on PostgreSQL every appending transaction queues on it until it commits:
 * callers append last, just before commit, and several events of one change in one step.
 */
export function createAuditService(db: Db, keying: AuditKeying, options: { readonly clock?: () => Date; readonly reloadKeying?: () => AuditKeying } = {}) {
  const clock = options.clock ?? (() => new Date());
  const sealing = sealingKeyOf(keying.keys);
  /**
   * The head as it will be once every append this process has sent is written, and whether the last of those was.
   * The appends before this one in the lock's queue are most often this process's own, so the head they leave is
   * known without asking: an append states the head it expects and writes nothing unless that is the head when it
   * gets the lock (it is not if another instance wrote since, or an append before it failed or has not yet taken
   * the lock), and only then is the head read. On PostgreSQL a change and its events are then one statement: lock
   * taken, head checked and moved, rows and events written, with no round trip back to this process in between.
   */
  let tail: { readonly head: Head; readonly written: Promise<boolean> } | undefined;
  const transactions = createGate(CHAIN_TRANSACTIONS);

  function chain(head: Head, entries: readonly AuditEntry[]): AuditEventTable[] {
    const at = nowIso(clock);
    let seq = head.seq;
    let previousHash = head.hash;
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
      previousHash = sealEvent(row, sealing);
      return { ...row, hash: previousHash };
    });
  }

  /**
   * Waits for the head's row lock (on PostgreSQL) and reads the head as the transaction before left it. Events past
   * it were written by an instance still running the code from before the head had a row of its own (during an
   * upgrade): the head is moved to the last of them, and the chain goes on from there.
   */
  async function lockHead(executor: Executor): Promise<Head> {
    const query = executor.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
    const head = await (db.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
    const last = await executor.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '>', head.seq).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last) return head;
    await executor.updateTable('audit_chain_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
    return last;
  }

  /** Writes `rows` and moves the head to their last, only if `head` is still the chain's end; false (nothing written) otherwise. */
  async function appendAfter(executor: Executor, head: Head, rows: readonly AuditEventTable[]): Promise<boolean> {
    const last = rows[rows.length - 1];
    if (!last) return true;
    if (db.dialect === 'postgres') {
      const result = await appendStatement(executor, [], head, rows, { failIfMoved: false });
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === rows.length;
    }
    if (await executor.selectFrom('audit_events').select('seq').where('seq', '>', head.seq).limit(1).executeTakeFirst()) return false;
    const moved = await executor.updateTable('audit_chain_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).where('seq', '=', head.seq).where('hash', '=', head.hash).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    await executor.insertInto('audit_events').values([...rows]).execute();
    return true;
  }

  /** Makes `rows` the tail: appends sent from now on follow them, and learn from `settle` whether they were written. */
  function becomeTail(rows: readonly AuditEventTable[]): (written: boolean) => void {
    let settle: (written: boolean) => void = () => undefined;
    const written = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const last = rows[rows.length - 1];
    tail = last && { head: { seq: last.seq, hash: last.hash }, written };
    return settle;
  }

  /** Runs an append, telling those chained after it whether it wrote `true` (every path settles, or they would wait for ever). */
  async function settling(settle: (written: boolean) => void, append: () => Promise<boolean>): Promise<boolean> {
    let written = false;
    try {
      written = await append();
      return written;
    } finally {
      settle(written);
    }
  }

  /** Waits for the head's lock, reads it and appends after it with `append`, which cannot then find it moved. */
  async function appendAfterLockedHead(executor: Executor, entries: readonly AuditEntry[], append: (head: Head, rows: readonly AuditEventTable[]) => Promise<boolean>): Promise<void> {
    const head = await lockHead(executor);
    const rows = chain(head, entries);
    if (!(await settling(becomeTail(rows), () => append(head, rows)))) throw new Error('The audit chain moved while its head was locked.');
  }

  async function appendAllWith(executor: Executor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const before = tail;
    if (before) {
      const rows = chain(before.head, entries);
      // Inside the caller's transaction an append does not wait for the one before: that one might be waiting for
      // a row this transaction holds. If its head is not there yet, this one waits for the lock and reads it.
      if (await settling(becomeTail(rows), () => appendAfter(executor, before.head, rows))) return;
    }
    await appendAfterLockedHead(executor, entries, (head, rows) => appendAfter(executor, head, rows));
  }

  /**
   * PostgreSQL: the move of the chain's head and the events after it as one statement, and the writes of the change
   * they record as clauses of it. The change is written first, then the head moved (the events are read from its
   * result): its update waits for the head's row lock, then checks the head as its holder committed it, and the
   * events are written only if it was the one expected. With `failIfMoved` the statement then fails instead, undoing
   * the change with it: being a transaction of its own, it needs no BEGIN or COMMIT, and holds the lock only while
   * it runs. Rows first, head last, as every other change does: a transaction that holds a row this one writes (a
   * draft being saved while it is sent) and then waits for the head cannot deadlock with it.
   */
  function appendStatement(executor: Executor, writes: readonly RowWrite[], head: Head, rows: readonly AuditEventTable[], { failIfMoved }: { failIfMoved: boolean }) {
    const last = rows[rows.length - 1];
    if (!last) throw new Error('An append needs at least one event.');
    // Nothing reads the WITH clauses by their types, so the creator keeps the plain database type.
    // The check is in the SET, not the WHERE: a WHERE is first checked against the head as it was when the statement
    // began, and a head not yet committed by the append before would be skipped without waiting for its lock.
    const expected = sql`seq = ${head.seq} and hash = ${head.hash} and not exists (select 1 from audit_events where audit_events.seq > ${head.seq})`;
    const moving = withWrites(executor, writes).with(
      'moved',
      () => sql`(update audit_chain_head set seq = case when ${expected} then ${last.seq} else seq end, hash = case when ${expected} then ${last.hash} else hash end where id = 1 and ${afterWrites(writes)} returning seq = ${last.seq} and hash = ${last.hash} as ok)`,
    ) as unknown as QueryCreator<Database>;
    // The head's one row already has id 1: this insert, made only when the head had moved, fails (see HEAD_MOVED).
    const creator = failIfMoved ? (moving.with('head_check', () => sql`(insert into audit_chain_head (id, seq, hash) select 1, 0, '' where not exists (select 1 from moved where ok))`) as unknown as QueryCreator<Database>) : moving;
    return creator
      .insertInto('audit_events')
      .columns([...COLUMNS])
      .expression(sql`select ${sql.join(COLUMNS.map((column) => sql.ref(`rows.${column}`)))} from json_to_recordset(${JSON.stringify(rows)}::json) as rows(${sql.raw(COLUMN_TYPES)}) where exists (select 1 from moved where ok)`)
      .executeTakeFirst();
  }

  async function writeChangeOnPostgres(writes: readonly RowWrite[], entries: readonly AuditEntry[]): Promise<void> {
    const write = async (head: Head, rows: readonly AuditEventTable[]) => {
      try {
        await appendStatement(db.kysely, writes, head, rows, { failIfMoved: true });
        return true;
      } catch (error) {
        if (headMoved(error)) return false;
        throw error;
      }
    };
    const before = tail;
    if (before) {
      const rows = chain(before.head, entries);
      // Sent once the append before it is written: sent together, it could overtake that one, find the head not
      // there yet, and have to be sent again.
      if (await settling(becomeTail(rows), async () => (await before.written) && write(before.head, rows))) return;
    }
    // Another instance wrote since, or an append before this one failed: a transaction that writes the change, then
    // waits for the head and appends after it.
    await writeChangeInTransaction(writes, entries);
  }

  function writeChangeInTransaction(writes: readonly RowWrite[], entries: readonly AuditEntry[]): Promise<void> {
    return db.kysely.transaction().execute(async (trx) => {
      for (const write of writes) await write(trx).execute();
      await appendAllWith(trx, entries);
    });
  }

  return {
    /**
     * A change (rows to insert or delete) and the events that record it, written together or not at all; for busy
     * paths such as a referral's submission. Queued in this process first (see CHAIN_TRANSACTIONS).
     */
    writeWithEvents(writes: readonly RowWrite[], entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length === 0) return Promise.reject(new Error('A change written with its events needs at least one event.'));
      return transactions.run(() => (db.dialect === 'postgres' ? writeChangeOnPostgres(writes, entries) : writeChangeInTransaction(writes, entries)));
    },
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
    /** Checks the whole chain; with anchors (event number and fingerprint, from the log), also that each event is still as anchored. */
    async verify(anchors: readonly AuditAnchor[] = []): Promise<AuditVerification> {
      // The keys as they are now: one added since this process started (rotate-keys --audit) sealed events already.
      const result = await verifyChain(db, options.reloadKeying?.() ?? keying);
      const problems = [...result.problems, ...(await anchorProblems(db, anchors))];
      return { ...result, ok: problems.length === 0, problems };
    },

    /** The chain's last event as the platform recorded it: logged each hour, so a copy lives outside the database. */
    async anchor(): Promise<AuditAnchor | undefined> {
      return db.kysely.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).where('seq', '>', 0).executeTakeFirst();
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** An event's number and fingerprint, written to the log by the hourly anchor job. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Without the audit key nobody can rebuild a sealed chain, but someone able to write to the database can still cut
 * its end and its head together (and rebuild the unsealed start of a trail older than its key, once everything
 * sealed after it is cut); an anchor kept elsewhere still names the event that was there, and its fingerprint covers
 * every event before it.
 */
async function anchorProblems(db: Db, anchors: readonly AuditAnchor[]): Promise<string[]> {
  const problems: string[] = [];
  for (const anchor of anchors) {
    const stored = await db.kysely.selectFrom('audit_events').select('hash').where('seq', '=', anchor.seq).executeTakeFirst();
    if (!stored) problems.push(`Event ${String(anchor.seq)}, anchored in the log, is missing (deleted).`);
    else if (stored.hash !== anchor.hash) problems.push(`Event ${String(anchor.seq)} is not the one anchored in the log: the trail up to it was rewritten.`);
  }
  return problems;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  /**
   * Events at the start of the trail written before it was keyed: their plain hashes are checked, and the first
   * sealed event after them vouches for them (see unsealedNote).
   */
  readonly unsealed: number;
  readonly problems: string[];
}

function sealingKeyOf(keys: readonly AuditKey[]): AuditKey {
  const [first] = keys;
  if (!first) throw new Error('The audit trail needs a key to seal its events.');
  return first;
}

/** What a check that passed cannot vouch for: the unsealed start of a trail older than its key, if it has one. */
export function unsealedNote(verification: Pick<AuditVerification, 'unsealed' | 'checked'>): string | undefined {
  if (verification.unsealed === 0) return undefined;
  const start = `Events 1 to ${String(verification.unsealed)} were written before the trail was sealed with an audit key, and checked by their plain hashes`;
  // The first sealed event's seal covers the plain hash before it, so the start cannot be rebuilt under it.
  return verification.checked > verification.unsealed
    ? `${start}; the sealed event after them vouches for them.`
    : `${start}: until an event is sealed after them, only an anchor from the log shows that they were not rebuilt.`;
}

/** What an event's hash covers: every column but the hash, in order. */
function canonicalEvent(row: Omit<AuditEventTable, 'hash'>): string {
  return JSON.stringify([
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
}

/** The id of the key a stored hash was sealed under; undefined for a plain hash (written before the trail was keyed). */
export function sealKeyIdOf(hash: string): string | undefined {
  const dot = hash.indexOf('.');
  return dot < 0 ? undefined : hash.slice(0, dot);
}

/** An event's seal: the id of the key, then the keyed hash, as `key-id.hex`. */
export function sealEvent(row: Omit<AuditEventTable, 'hash'>, key: AuditKey): string {
  return `${key.id}.${createHmac('sha256', key.key).update(canonicalEvent(row)).digest('hex')}`;
}

/** The plain hash of events written before the chain was keyed (and by an instance of the code from before). */
export function plainHashOf(row: Omit<AuditEventTable, 'hash'>): string {
  return createHash('sha256').update(canonicalEvent(row)).digest('hex');
}

/**
 * Whether an event's stored hash is right, and what is wrong if not. A sealed event is checked under the key it
 * names; a plain hash is accepted only on the unsealed start of a trail older than its key, and only before the
 * first sealed event: anyone can write a plain hash, only the key holder a seal.
 */
function hashProblem(row: AuditEventTable, keysById: ReadonlyMap<string, Buffer>, plainAllowed: boolean): string | undefined {
  const { hash, ...content } = row;
  const keyId = sealKeyIdOf(hash);
  if (keyId === undefined) {
    if (!plainAllowed) return `Event ${String(row.seq)} is not sealed with the audit key: it was written or rewritten outside the platform.`;
    return plainHashOf(content) === hash ? undefined : `Event ${String(row.seq)} has been edited since it was written.`;
  }
  // The id is read from the database: only one that could be a key id is repeated back.
  if (!isKeyId(keyId)) return `Event ${String(row.seq)} carries a seal without a valid key id: it was written outside the platform.`;
  const key = keysById.get(keyId);
  if (!key) return `Event ${String(row.seq)} is sealed with audit key "${keyId}", which is not among the audit keys configured: if it is one of yours, add it back to check it.`;
  return sealEvent(content, { id: keyId, key }) === hash ? undefined : `Event ${String(row.seq)} has been edited since it was written.`;
}

/** Problems listed up to LISTED_PROBLEMS, then counted. */
function problemList() {
  const listed: string[] = [];
  let unlisted = 0;
  return {
    add(problem: string | undefined) {
      if (problem === undefined) return;
      if (listed.length < LISTED_PROBLEMS) listed.push(problem);
      else unlisted += 1;
    },
    all: () => (unlisted > 0 ? [...listed, `…and ${String(unlisted)} more problems, not listed.`] : listed),
  };
}

async function verifyChain(db: Db, keying: AuditKeying): Promise<AuditVerification> {
  const keysById = new Map(keying.keys.map(({ id, key }) => [id, key]));
  const unsealedUntil = keying.unsealedUntil ?? Number.POSITIVE_INFINITY;
  const problems = problemList();
  // The head first: events appended while the check runs come after it, and are left to the next check.
  const head = await db.kysely.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) problems.add('The record of the last event written is missing.');
  let previousHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  let unsealed = 0;
  const pageSize = 5000;
  for (;;) {
    let page = db.kysely.selectFrom('audit_events').selectAll().where('seq', '>=', expectedSeq);
    if (head) page = page.where('seq', '<=', head.seq);
    const rows = await page.orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) problems.add(`Events ${String(expectedSeq)} to ${String(row.seq - 1)} are missing (deleted).`);
      if (row.prev_hash !== previousHash) problems.add(`Event ${String(row.seq)} does not follow the event before it.`);
      const plainAllowed = row.seq <= unsealedUntil && checked === unsealed;
      problems.add(hashProblem(row, keysById, plainAllowed));
      if (plainAllowed && sealKeyIdOf(row.hash) === undefined) unsealed += 1;
      previousHash = row.hash;
      expectedSeq = row.seq + 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  if (head && head.seq > expectedSeq - 1) problems.add(`Events ${String(expectedSeq)} to ${String(head.seq)} are missing (deleted from the end).`);
  else if (head && head.hash !== previousHash) problems.add(`The last event, ${String(head.seq)}, is not the one last written.`);
  for (const problem of await eventsPastTheHead(db)) problems.add(problem);
  const listed = problems.all();
  return { ok: listed.length === 0, checked, unsealed, problems: listed };
}

/**
 * Every append moves the head in the same transaction as its events, so no event lies beyond the head: one that
 * does was put there by hand. One statement reads both, so an append committing meanwhile is seen whole or not at all.
 */
async function eventsPastTheHead(db: Db): Promise<string[]> {
  const beyond = await db.kysely
    .selectFrom('audit_events')
    .select('seq')
    .where('seq', '>', (eb) => eb.selectFrom('audit_chain_head').select('seq').where('id', '=', 1))
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return beyond ? [`Event ${String(beyond.seq)} was stored after the last event the platform wrote: it did not come from the platform.`] : [];
}
