import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A referral remembers the draft it was sent from, once: a second send of the same draft (a double click, a resend
// after a slow answer) is refused by the unique index and shown the referral the first one made.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('source_draft_id', 'text').execute();
  await db.schema.createIndex('referrals_source_draft').unique().on('referrals').column('source_draft_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('referrals_source_draft').execute();
  await db.schema.alterTable('referrals').dropColumn('source_draft_id').execute();
}
