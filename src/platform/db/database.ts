import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import { preparedNameOf } from './reusable-query.js';
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
  if (file !== ':memory:') keepPrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new ImmediateTransactionsDialect({ database: withStatementCache(sqlite) }) });
  return { kysely, dialect: 'sqlite', sqlite, destroy: () => kysely.destroy() };
}

/**
 * Every transaction here writes (the audit chain's head, at least), so each takes the write lock as it begins. A
 * transaction that only read first could not upgrade once another process (the operator CLI beside the server)
 * had written since: SQLite refuses at once with "database is locked" instead of waiting out busy_timeout.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionsDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.settings);
  }
}

/**
 * The database file holds case data: readable by the service's own user only (SQLite gives its WAL and shared-memory
 * files the database file's mode). A new folder is private too; existing files made before are tightened.
 */
function keepPrivate(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const companion of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(companion)) fs.chmodSync(companion, 0o600);
}

const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query afresh; preparing costs more than running the small queries a page makes, so
 * statements are kept by their SQL text. Safe because Kysely runs one query at a time on the one connection.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value ?? '');
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Kysely sends `query(sql, parameters)`; a reusable query's SQL goes under its prepared name (see reusable-query.ts). */
function sendReusableQueriesPrepared(client: pg.PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) ? preparedNameOf(text) : undefined;
    return name ? send({ name, text, values }) : send(...args);
  }) as typeof client.query;
}

function openPostgres(connectionString: string, max: number): Db {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection the server ends (a restart, a failover, a dropped database) must not crash the process:
  // the pool discards it and opens another on next use.
  pool.on('error', (error: Error & { code?: string }) => {
    process.stderr.write(`PostgreSQL connection lost while idle (${error.code ?? 'no code'}); it will be replaced.\n`);
  });
  // So must one ended while in use (the server restarting under load): without a listener its 'error' event would
  // end the process. The query it was running fails and that request gets the error page; the pool discards the
  // connection when it is released, and the next request gets a new one.
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      process.stderr.write(`PostgreSQL connection lost while in use (${error.code ?? 'no code'}); it will be replaced.\n`);
    });
    sendReusableQueriesPrepared(client);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', sqlite: undefined, destroy: () => kysely.destroy() };
}
