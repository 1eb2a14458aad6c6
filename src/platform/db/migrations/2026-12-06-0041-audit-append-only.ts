import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// The audit trail refuses, in the database itself, what the application never does: changing or deleting an event,
// or moving the record of the last event back. A bug, or SQL slipped into a query, cannot rewrite history; someone
// with the rights to drop these triggers still can, and `audit verify` is there for that.
const REFUSAL = 'The audit trail is append-only: events cannot be changed or deleted.';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function audit_append_only() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'audit_chain_head' and tg_op = 'UPDATE' and new.seq >= old.seq then return new; end if;
        raise exception '${sql.raw(REFUSAL)}';
      end $$`.execute(db);
    await sql`create trigger audit_events_append_only before update or delete on audit_events for each row execute function audit_append_only()`.execute(db);
    await sql`create trigger audit_events_no_truncate before truncate on audit_events for each statement execute function audit_append_only()`.execute(db);
    await sql`create trigger audit_chain_head_forward_only before update or delete on audit_chain_head for each row execute function audit_append_only()`.execute(db);
    await sql`create trigger audit_chain_head_no_truncate before truncate on audit_chain_head for each statement execute function audit_append_only()`.execute(db);
    return;
  }
  const refuse = sql.raw(`select raise(abort, '${REFUSAL}')`);
  await sql`create trigger audit_events_no_update before update on audit_events begin ${refuse}; end`.execute(db);
  await sql`create trigger audit_events_no_delete before delete on audit_events begin ${refuse}; end`.execute(db);
  await sql`create trigger audit_chain_head_forward_only before update on audit_chain_head when new.seq < old.seq begin ${refuse}; end`.execute(db);
  await sql`create trigger audit_chain_head_no_delete before delete on audit_chain_head begin ${refuse}; end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const [trigger, table] of [['audit_events_append_only', 'audit_events'], ['audit_events_no_truncate', 'audit_events'], ['audit_chain_head_forward_only', 'audit_chain_head'], ['audit_chain_head_no_truncate', 'audit_chain_head']]) {
      await sql`drop trigger ${sql.raw(trigger ?? '')} on ${sql.raw(table ?? '')}`.execute(db);
    }
    await sql`drop function audit_append_only()`.execute(db);
    return;
  }
  for (const trigger of ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_head_forward_only', 'audit_chain_head_no_delete']) await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
}
