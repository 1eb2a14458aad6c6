import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Kent & Medway's local MARAC criterion has two limbs: current abuse with a high risk of serious harm from the person
// causing harm, or of suicide or self-harm because of the abuse. The first is the referrer's judgement too, asked in
// its own question. Earlier referrals were never asked, so they hold "not_given", as for the second limb (0036).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('serious_harm_risk', 'text', (column) => column.notNull().defaultTo('not_given')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').dropColumn('serious_harm_risk').execute();
}
