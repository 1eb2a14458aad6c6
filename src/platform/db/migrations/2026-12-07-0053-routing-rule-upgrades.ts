import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Which routing upgrades each MARAC area's rules have been considered for. An upgrade that found nothing to change
// (a partnership had set its own value) is recorded too, so it is never applied later over a choice made since.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_rule_upgrades')
    .addColumn('marac_area', 'text', (col) => col.notNull())
    .addColumn('marker', 'text', (col) => col.notNull())
    .addColumn('considered_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('routing_rule_upgrades_pk', ['marac_area', 'marker'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('routing_rule_upgrades').execute();
}
