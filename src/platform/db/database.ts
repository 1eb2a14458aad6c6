import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** The SQLite handle, for online backup; undefined on PostgreSQL. */
  readonly sqlite: SQLite.Database | undefined;
  readonly destroy: () => Promise<void>;
}

export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseOptions {
  readonly databaseUrl?: string | undefined;
  readonly sqliteFile: string;
  readonly poolSize?: number;
}

export function openDatabase(options: DatabaseOptions): Db {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openSqlite(options.sqliteFile);
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kysely, dialect: 'sqlite', sqlite, destroy: () => kysely.destroy() };
}

function openPostgres(connectionString: string, max: number): Db {
  const pool = new pg.Pool({ connectionString, max });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', sqlite: undefined, destroy: () => kysely.destroy() };
}
