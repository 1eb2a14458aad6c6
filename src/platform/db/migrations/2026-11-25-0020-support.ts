import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// The public site's managed content: pages per language with every saved revision kept, and the help-now
// phone numbers that editors keep current.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('support_pages')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('lang', 'text', (col) => col.notNull())
    .addColumn('section', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(100))
    .addColumn('live_revision_id', 'text')
    .addColumn('draft_revision_id', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('support_pages_slug_lang', ['slug', 'lang'])
    .execute();

  await db.schema
    .createTable('support_page_revisions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('page_id', 'text', (col) => col.notNull().references('support_pages.id').onDelete('cascade'))
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('layout', 'text', (col) => col.notNull().defaultTo('standard'))
    .addColumn('video', 'text')
    .addColumn('change_note', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.references('users.id'))
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (col) => col.references('users.id'))
    .addUniqueConstraint('support_page_revisions_number', ['page_id', 'number'])
    .execute();

  await db.schema
    .createTable('support_helplines')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('code', 'text', (col) => col.notNull().unique())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('display_number', 'text', (col) => col.notNull())
    .addColumn('dial', 'text', (col) => col.notNull())
    .addColumn('texts', 'text', (col) => col.notNull())
    .addColumn('source_note', 'text', (col) => col.notNull())
    .addColumn('checked_on', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.references('users.id'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_helplines').execute();
  await db.schema.dropTable('support_page_revisions').execute();
  await db.schema.dropTable('support_pages').execute();
}
