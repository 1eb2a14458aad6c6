import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Why a published information page came off the site, when the platform took it off rather than an editor (its text
// named an address just made confidential): the page's own history says so, not only the location's notice.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_page_revisions').addColumn('withdrawn_reason', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_page_revisions').dropColumn('withdrawn_reason').execute();
}
