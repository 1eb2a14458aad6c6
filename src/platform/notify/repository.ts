import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { OutboxMessageTable } from './tables.js';

export type OutboxRow = Selectable<OutboxMessageTable>;

/**
 * Takes the oldest due message and leases it to the caller, so that several instances delivering at once never
 * send the same message twice. A due message is pending and past its retry time, or was being sent by an instance
 * whose lease ran out (it stopped mid-send). PostgreSQL skips rows another transaction has locked; SQLite has one
 * writer at a time and the update only succeeds if the row is still as it was read.
 */
export async function claimNextDue(db: Db, now: string, leaseUntil: string): Promise<OutboxRow | undefined> {
  return db.dialect === 'postgres' ? claimWithSkipLocked(db, now, leaseUntil) : claimWithConditionalUpdate(db, now, leaseUntil);
}

async function claimWithSkipLocked(db: Db, now: string, leaseUntil: string): Promise<OutboxRow | undefined> {
  return db.kysely.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outbox_messages')
      .select('id')
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!due) return undefined;
    return trx
      .updateTable('outbox_messages')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
      .where('id', '=', due.id)
      .returningAll()
      .executeTakeFirst();
  });
}

async function claimWithConditionalUpdate(db: Db, now: string, leaseUntil: string): Promise<OutboxRow | undefined> {
  // Another process may take a candidate between the read and the update; then try the next one.
  for (let tries = 0; tries < 5; tries += 1) {
    const due = await db.kysely
      .selectFrom('outbox_messages')
      .select(['id', 'attempts', 'status'])
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(1)
      .executeTakeFirst();
    if (!due) return undefined;
    const claimed = await db.kysely
      .updateTable('outbox_messages')
      .set({ status: 'sending', attempts: due.attempts + 1, next_attempt_at: leaseUntil })
      .where('id', '=', due.id)
      .where('status', '=', due.status)
      .where('attempts', '=', due.attempts)
      .where('next_attempt_at', '<=', now)
      .returningAll()
      .executeTakeFirst();
    if (claimed) return claimed;
  }
  return undefined;
}

/** Only the holder of the lease (same attempt number, still sending) may settle a message. */
export async function settle(
  db: Db,
  claimed: Pick<OutboxRow, 'id' | 'attempts'>,
  change: { status: 'sent'; sentAt: string } | { status: 'pending' | 'failed'; nextAttemptAt: string; error: string },
): Promise<boolean> {
  const values =
    change.status === 'sent'
      ? { status: 'sent' as const, sent_at: change.sentAt, last_error: null }
      : { status: change.status, next_attempt_at: change.nextAttemptAt, last_error: change.error };
  const result = await db.kysely
    .updateTable('outbox_messages')
    .set(values)
    .where('id', '=', claimed.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claimed.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function countByStatus(db: Db): Promise<Record<OutboxRow['status'], number>> {
  const rows = await db.kysely
    .selectFrom('outbox_messages')
    .select((eb) => ['status', eb.fn.countAll().as('count')])
    .groupBy('status')
    .execute();
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** The one-time link is still there (not replaced), unused, not made to expire early, and its account not disabled. */
export async function linkStillUsable(db: Db, tokenId: string, now: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('user_tokens')
    .innerJoin('users', 'users.id', 'user_tokens.user_id')
    .select('user_tokens.id')
    .where('user_tokens.id', '=', tokenId)
    .where('user_tokens.used_at', 'is', null)
    .where('user_tokens.expires_at', '>', now)
    .where('users.status', '!=', 'disabled')
    .executeTakeFirst();
  return row !== undefined;
}
