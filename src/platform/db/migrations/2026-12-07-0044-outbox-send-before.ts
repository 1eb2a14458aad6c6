import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A message whose link stops working (a password reset lasts an hour) is not sent after that: an email arriving with a
// dead link only confuses, and the retries can outlast the link by hours while the mail server is down.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').addColumn('send_before', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').dropColumn('send_before').execute();
}
