import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/platform.js';
import { openDatabase, type Db } from './database.js';
import { migrateToLatest } from './migrate.js';

describe.runIf(DIALECT === 'sqlite')('transactions on the embedded SQLite database beside another process (SQLite only: PostgreSQL locks rows, not the file)', () => {
  let folder: string;
  let db: Db;
  let other: SQLite.Database;
  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-tx-'));
    db = openDatabase({ sqliteFile: path.join(folder, 'platform.sqlite') });
    await migrateToLatest(db);
    // Another process's connection (the operator CLI beside the server), not waiting for locks at all.
    other = new SQLite(path.join(folder, 'platform.sqlite'));
    other.pragma('busy_timeout = 0');
  });
  afterAll(async () => {
    other.close();
    await db.destroy();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('hold the write lock from their start, so a write elsewhere meanwhile waits instead of making the transaction fail', async () => {
    let elsewhere = 'not tried';
    await db.kysely.transaction().execute(async (trx) => {
      await trx.selectFrom('audit_chain_head').select('seq').execute();
      try {
        other.prepare("insert into job_runs (name, slot, started_at, instance_id) values ('elsewhere', '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z', 'other')").run();
        elsewhere = 'written';
      } catch (error) {
        elsewhere = (error as Error).message;
      }
      await trx.insertInto('job_runs').values({ name: 'here', slot: '2026-12-06T00:00:00.000Z', started_at: '2026-12-06T00:00:00.000Z', instance_id: 'this', finished_at: null, outcome: null }).execute();
    });
    expect(elsewhere).toBe('database is locked');
    expect((await db.kysely.selectFrom('job_runs').select('name').execute()).map((row) => row.name)).toEqual(['here']);
  });
});
