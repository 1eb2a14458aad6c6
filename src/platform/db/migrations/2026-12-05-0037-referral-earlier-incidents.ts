import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Incidents on earlier referrals about the same person and the same person causing harm count towards potential
// escalation; the dates counted are kept with the referral, so its routing can be explained and previewed again.
// Referrals sent before counted none.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('earlier_incident_dates', 'text', (column) => column.notNull().defaultTo('[]')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').dropColumn('earlier_incident_dates').execute();
}
