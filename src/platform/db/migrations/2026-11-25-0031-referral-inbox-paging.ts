import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Inbox pages at any depth, whatever the filters. A route keeps a copy of its referral's risk level (fixed when the
// referral is made), so that the inbox can filter and count by risk from the routes alone instead of reading every
// referral the organisation ever received. Both indexes then hold every column an inbox page is chosen by, the route
// id included: a page's route ids come from the index alone, however many rows come before them, and only those
// routes and their referrals are read.
// - by received: an organisation's routes newest first, whatever their status ("all", "open").
// - by status: one status newest first; it also counts each status, so it replaces (organisation, status, received).
//   With the first-contact columns it also counts the overdue (shown on every inbox page) from the index alone.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referral_routes').addColumn('risk_level', 'text').execute();
  await db
    .updateTable('referral_routes')
    .set({ risk_level: sql`(select referrals.risk_level from referrals where referrals.id = referral_routes.referral_id)` })
    .execute();
  // SQLite cannot add a NOT NULL column without a default; there every writer sets it (the column is typed so).
  if (db.getExecutor().adapter instanceof PostgresAdapter) await db.schema.alterTable('referral_routes').alterColumn('risk_level', (col) => col.setNotNull()).execute();
  await db.schema.createIndex('referral_routes_inbox_by_received').on('referral_routes').columns(['organisation_id', 'created_at', 'id', 'status', 'risk_level']).execute();
  await db.schema.createIndex('referral_routes_inbox_by_status').on('referral_routes').columns(['organisation_id', 'status', 'created_at', 'id', 'risk_level', 'first_contact_at', 'first_contact_due_at']).execute();
  await db.schema.dropIndex('referral_routes_inbox').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('referral_routes_inbox').on('referral_routes').columns(['organisation_id', 'status', 'created_at']).execute();
  await db.schema.dropIndex('referral_routes_inbox_by_status').execute();
  await db.schema.dropIndex('referral_routes_inbox_by_received').execute();
  await db.schema.alterTable('referral_routes').dropColumn('risk_level').execute();
}
