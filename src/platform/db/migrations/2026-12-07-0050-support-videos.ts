import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Videos for the public pages (the BSL page), kept in the database so editors can replace them and every instance
// serves the same file. The file is stored in slices: a reader's player asks for a part at a time, and neither an
// upload nor a playback ever holds more than one slice of it in a query.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('support_videos')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('slice_size', 'integer', (col) => col.notNull())
    .addColumn('captions', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.references('users.id'))
    .execute();
  await db.schema
    .createTable('support_video_slices')
    .addColumn('video_id', 'text', (col) => col.notNull().references('support_videos.id').onDelete('cascade'))
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('bytes', bytes, (col) => col.notNull())
    .addPrimaryKeyConstraint('support_video_slices_pk', ['video_id', 'number'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_video_slices').execute();
  await db.schema.dropTable('support_videos').execute();
}
