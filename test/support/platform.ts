import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { openPlatform, seedDemo } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/platform/logging.js';
import type { Services } from '../../src/services.js';
import { createDatabase, dropDatabase } from './postgres-databases.js';
import { copyOfSeeded, type SeedKind } from './seeded-template.js';

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
 * A database of its own per call, migrated and seeded: a temporary SQLite file, or with DATABASE_URL set a new
 * PostgreSQL database dropped after the test. With the default data it is a copy of one seeded earlier by the same
 * code (see seeded-template.ts). The app is built by the same factory as production.
 */
export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-test-'));
  const postgresUrl = (options.postgresUrl === undefined ? process.env['DATABASE_URL'] : options.postgresUrl) ?? undefined;
  const kind: SeedKind = (options.demo ?? true) ? 'demo' : 'reference';
  const copied = takesDefaultData(options);
  const databaseUrl = copied
    ? await copyOfSeeded(kind, dataDir, postgresUrl, (folder, url) => seedInto(kind, testConfig(folder, url)))
    : postgresUrl && (await createDatabase(postgresUrl));
  const config = testConfig(dataDir, databaseUrl, options.env);
  const services = await openPlatform(config, options.clock ? { clock: options.clock } : {});
  if (!copied) await seedWith(services, kind);
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
      if (databaseUrl && postgresUrl) await dropDatabase(postgresUrl, databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Settings that change how the platform answers but not what is stored, so a copy of the default data serves. */
const SETTINGS_BESIDE_THE_DATA = new Set(['BASE_URL', 'SMTP_URL', 'RATE_LIMIT_PER_MINUTE', 'OPEN_DATA_RATE_LIMIT_PER_MINUTE']);

/** Data seeded at another time (a test's own clock) or under other keys or settings is seeded afresh. */
function takesDefaultData(options: TestPlatformOptions): boolean {
  return options.clock === undefined && Object.keys(options.env ?? {}).every((name) => SETTINGS_BESIDE_THE_DATA.has(name));
}

function testConfig(dataDir: string, databaseUrl: string | undefined, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    OPEN_DATA_RATE_LIMIT_PER_MINUTE: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
}

async function seedWith(services: Services, kind: SeedKind): Promise<void> {
  await services.reference.seedReference();
  if (kind === 'demo') await seedDemo(services);
}

async function seedInto(kind: SeedKind, config: Config): Promise<void> {
  const services = await openPlatform(config);
  try {
    await seedWith(services, kind);
  } finally {
    await services.db.destroy();
  }
}
