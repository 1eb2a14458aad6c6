import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { openPlatform, seedDemo } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/platform/logging.js';
import type { Services } from '../../src/services.js';

export const DIALECT = process.env['DATABASE_URL'] ? 'postgres' : 'sqlite';

export interface TestPlatform {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly config: Config;
  /** The SQLite file, for tests that read the raw bytes; undefined on PostgreSQL. */
  readonly sqliteFile: string | undefined;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  readonly env?: Record<string, string>;
  readonly clock?: () => Date;
  readonly demo?: boolean;
  /** PostgreSQL server to create the fresh database on; defaults to DATABASE_URL, null forces SQLite (the bench runs both). */
  readonly postgresUrl?: string | null;
}

/**
 * A fresh, migrated database per call: a temporary SQLite file, or with DATABASE_URL set a new PostgreSQL
 * database created for the test and dropped after it. The app is built by the same factory as production.
 */
export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-test-'));
  const postgresUrl = options.postgresUrl === undefined ? process.env['DATABASE_URL'] : options.postgresUrl;
  const databaseUrl = postgresUrl ? await createPostgresDatabase(postgresUrl) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    OPEN_DATA_RATE_LIMIT_PER_MINUTE: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl.url } : {}),
    ...options.env,
  });
  const services = await openPlatform(config, options.clock ? { clock: options.clock } : {});
  await services.reference.seedReference();
  if (options.demo ?? true) await seedDemo(services);
  const app = await buildApp({ services, logger: createLogger(config.LOG_LEVEL) });
  await app.ready();
  return {
    app,
    services,
    config,
    sqliteFile: databaseUrl ? undefined : config.sqliteFile,
    async close() {
      await app.close();
      await services.db.destroy();
      await databaseUrl?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `dapp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
