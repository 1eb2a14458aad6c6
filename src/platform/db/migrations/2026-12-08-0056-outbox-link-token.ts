import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A message carrying a one-time link names it, so it is not sent once the link is used or replaced, or its account is
// disabled: waiting for a mail server to be set up, an invitation could otherwise arrive after it was accepted.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').addColumn('link_token_id', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').dropColumn('link_token_id').execute();
}
