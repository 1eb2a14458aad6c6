import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A deleted video keeps its row (its file is gone): the video the site started with, deleted by an editor, would
// otherwise be loaded again from seed/content/media at the next start.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_videos').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('support_videos').addColumn('deleted_by', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('support_videos').where('deleted_at', 'is not', null).execute();
  await db.schema.alterTable('support_videos').dropColumn('deleted_by').execute();
  await db.schema.alterTable('support_videos').dropColumn('deleted_at').execute();
}
