import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// How many routes each organisation has of each status and risk level, kept by the database itself: every inbox
// page says "of N referrals", and counting an organisation's whole history on every page (85,000 routes in the
// benchmark) was most of the time a deep page took. Triggers keep the counts in the same transaction as the change,
// whichever code (or cascade) inserts, updates or deletes a route. A data-only restore with triggers disabled would
// leave them wrong: rebuild them with the INSERT ... SELECT below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('referral_inbox_counts')
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('risk_level', 'text', (col) => col.notNull())
    .addColumn('routes', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('referral_inbox_counts_pk', ['organisation_id', 'status', 'risk_level'])
    .execute();
  await sql`insert into referral_inbox_counts (organisation_id, status, risk_level, routes)
    select organisation_id, status, risk_level, count(*) from referral_routes group by organisation_id, status, risk_level`.execute(db);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function referral_inbox_counts_follow() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then
          update referral_inbox_counts set routes = routes - 1
            where organisation_id = old.organisation_id and status = old.status and risk_level = old.risk_level;
        end if;
        if tg_op <> 'DELETE' then
          insert into referral_inbox_counts as counts (organisation_id, status, risk_level, routes)
            values (new.organisation_id, new.status, new.risk_level, 1)
            on conflict (organisation_id, status, risk_level) do update set routes = counts.routes + 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger referral_routes_inbox_counts after insert or delete or update of organisation_id, status, risk_level
      on referral_routes for each row execute function referral_inbox_counts_follow()`.execute(db);
    return;
  }
  // SQLite: a risk level missing from a new route fails here (NOT NULL), where the column itself cannot say so.
  const add = sql`insert into referral_inbox_counts (organisation_id, status, risk_level, routes) values (new.organisation_id, new.status, new.risk_level, 1)
    on conflict (organisation_id, status, risk_level) do update set routes = routes + 1;`;
  const remove = sql`update referral_inbox_counts set routes = routes - 1
    where organisation_id = old.organisation_id and status = old.status and risk_level = old.risk_level;`;
  await sql`create trigger referral_routes_inbox_counts_insert after insert on referral_routes begin ${add} end`.execute(db);
  await sql`create trigger referral_routes_inbox_counts_update after update of organisation_id, status, risk_level on referral_routes begin ${remove} ${add} end`.execute(db);
  await sql`create trigger referral_routes_inbox_counts_delete after delete on referral_routes begin ${remove} end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger referral_routes_inbox_counts on referral_routes`.execute(db);
    await sql`drop function referral_inbox_counts_follow()`.execute(db);
  } else {
    for (const suffix of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.raw(`referral_routes_inbox_counts_${suffix}`)}`.execute(db);
  }
  await db.schema.dropTable('referral_inbox_counts').execute();
}
