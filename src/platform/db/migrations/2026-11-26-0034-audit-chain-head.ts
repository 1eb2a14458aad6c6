import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// The audit chain's head (the last event's number and hash) in a row of its own. Appending updates it in the same
// statement as the insert: its row lock is the chain's lock, and a chain whose last events were deleted no longer
// matches its head.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  const last = await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  await db.insertInto('audit_chain_head').values({ id: 1, seq: last?.seq ?? 0, hash: last?.hash ?? '0'.repeat(64) }).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_chain_head').execute();
}
