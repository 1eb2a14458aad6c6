import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// The language a person needs an interpreter in is typed freely, and with the rest of a referral says who they may
// be: it is encrypted like the other safe-contact details. The service encrypts values kept in the plain column
// before this release into the new one, and empties the plain one, as it starts (a migration holds no keys).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('interpreter_language_enc', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').dropColumn('interpreter_language_enc').execute();
}
