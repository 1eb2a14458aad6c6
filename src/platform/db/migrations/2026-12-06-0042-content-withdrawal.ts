import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// An editor can take a published information page off the site. The version that was live records when and by whom,
// beside when and by whom it was published, so the page's history tells the whole story.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_page_revisions').addColumn('withdrawn_at', 'text').execute();
  await db.schema.alterTable('support_page_revisions').addColumn('withdrawn_by', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_page_revisions').dropColumn('withdrawn_by').execute();
  await db.schema.alterTable('support_page_revisions').dropColumn('withdrawn_at').execute();
}
