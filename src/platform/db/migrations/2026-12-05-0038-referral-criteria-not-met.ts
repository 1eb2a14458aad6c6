import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A referral keeps every MARAC criterion its rules weighed, met or not, each with its plain-words explanation, so the
// referrer can see why a referral did not go to MARAC (13 "yes" answers of the 14 needed, say). Rows written before
// were all criteria met.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referral_criteria').addColumn('met', 'integer', (column) => column.notNull().defaultTo(1)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('referral_criteria').where('met', '=', 0).execute();
  await db.schema.alterTable('referral_criteria').dropColumn('met').execute();
}
