import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// A call-back request remembers which sending of its form made it (a keyed hash of the form's one-time binding), so a
// form sent twice (a second press on a slow connection, a browser retrying) makes one request, not two. Requests made
// before have none; a unique index allows any number of those.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory_callback_requests').addColumn('submission_hash', 'text').execute();
  // Named as PostgreSQL names a column's own unique constraint, which is how isUniqueViolation recognises it.
  await db.schema.createIndex('directory_callback_requests_submission_hash_key').on('directory_callback_requests').column('submission_hash').unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory_callback_requests_submission_hash_key').execute();
  await db.schema.alterTable('directory_callback_requests').dropColumn('submission_hash').execute();
}
