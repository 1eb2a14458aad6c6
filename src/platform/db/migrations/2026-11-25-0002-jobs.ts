import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Indexes for the scheduled clean-up jobs, so that purging expired sessions and applying retention read only the
// rows they delete instead of scanning whole tables every few minutes. (pg-boss creates its own schema itself.)
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sessions_last_seen').on('sessions').column('last_seen_at').execute();
  await db.schema.createIndex('sessions_created').on('sessions').column('created_at').execute();
  await db.schema.createIndex('user_tokens_expires').on('user_tokens').column('expires_at').execute();
  await db.schema.createIndex('outbox_sent').on('outbox_messages').columns(['status', 'sent_at']).execute();
  await db.schema.createIndex('job_runs_started').on('job_runs').column('started_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['job_runs_started', 'outbox_sent', 'user_tokens_expires', 'sessions_created', 'sessions_last_seen']) {
    await db.schema.dropIndex(index).execute();
  }
}
