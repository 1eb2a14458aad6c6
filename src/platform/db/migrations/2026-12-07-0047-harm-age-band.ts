import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Routing reads the person causing harm's age (a child harming a parent is a safeguarding matter too), kept as a band
// beside the person at risk's, so the rules editor's preview can replay it. Earlier referrals have none: their dates
// of birth are encrypted, and a migration holds no key.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('harm_age_band', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').dropColumn('harm_age_band').execute();
}
