import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A call-back request belongs to the partner organisation that received it. It was found through the directory
// organisation's current partner link, so a directory editor re-linking an organisation moved every stored request
// (names, safe numbers, safe words) to another partner. Requests already stored go to whoever receives them now.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory_callback_requests').addColumn('organisation_id', 'text', (column) => column.references('organisations.id')).execute();
  await sql`update directory_callback_requests set organisation_id = (
    select o.partner_organisation_id from directory_services s join directory_organisations o on o.id = s.organisation_id
    where s.id = directory_callback_requests.service_id)`.execute(db);
  await db.schema.createIndex('directory_callback_requests_receiver').on('directory_callback_requests').columns(['organisation_id', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory_callback_requests_receiver').execute();
  await db.schema.alterTable('directory_callback_requests').dropColumn('organisation_id').execute();
}
