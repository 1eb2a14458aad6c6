import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Work that instances starting at the same moment must take turns at (seeding checks for a record, then adds it):
 * on PostgreSQL, under a session advisory lock held on one connection for the whole of it. The embedded SQLite
 * database is one process's.
 */
export async function oneInstanceAtATime<T>(db: Db, lock: number, work: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return work();
  return db.kysely.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${lock})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${lock})`.execute(connection);
    }
  });
}
