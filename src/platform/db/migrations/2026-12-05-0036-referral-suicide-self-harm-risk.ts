import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Kent & Medway's local MARAC criterion (a high risk of suicide or self-harm because of the abuse) is the referrer's
// judgement, asked in its own question; a checklist "yes" about low mood only prompts it. Earlier referrals were never
// asked, so they hold "not_given": no judgement is put in a referrer's mouth on a safeguarding record.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('suicide_self_harm_risk', 'text', (column) => column.notNull().defaultTo('not_given')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').dropColumn('suicide_self_harm_risk').execute();
}
