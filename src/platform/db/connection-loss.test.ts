import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/platform.js';
import { openDatabase, type Db } from './database.js';

describe.runIf(DIALECT === 'postgres')('a PostgreSQL connection ended by the server (PostgreSQL only: SQLite has no server to end one)', () => {
  let db: Db;
  beforeAll(() => {
    db = openDatabase({ databaseUrl: process.env['DATABASE_URL'], sqliteFile: '' });
  });
  afterAll(() => db.destroy());

  it('fails the query it was running, keeps the process alive, and later queries get a new connection', async () => {
    const marker = `connection-loss-${String(process.pid)}-${String(Date.now())}`;
    const running = sql`select pg_sleep(30), ${sql.lit(marker)}::text as marker`.execute(db.kysely).then(
      () => 'finished',
      (error: unknown) => error,
    );
    const admin = openDatabase({ databaseUrl: process.env['DATABASE_URL'], sqliteFile: '' });
    try {
      // Ended as a restart or an administrator would, while the query holds its connection.
      await expect.poll(async () => {
        const { rows } = await sql<{ ended: boolean }>`select pg_terminate_backend(pid) as ended from pg_stat_activity where query like ${`%${marker}%`} and pid <> pg_backend_pid()`.execute(admin.kysely);
        return rows.some((row) => row.ended);
      }, { timeout: 10_000 }).toBe(true);
    } finally {
      await admin.destroy();
    }
    expect(await running).toBeInstanceOf(Error);
    // The ended connection may be handed out once more before its socket closes; after that the pool opens a new one.
    const answer = () => sql<{ one: number }>`select 1 as one`.execute(db.kysely).then(({ rows }) => rows, () => 'failed');
    await expect.poll(answer, { timeout: 10_000 }).toEqual([{ one: 1 }]);
  });
});
