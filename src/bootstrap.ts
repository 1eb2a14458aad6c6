import type { Config } from './config.js';
import { loadKeyMaterial } from './platform/crypto/keys.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { oneInstanceAtATime } from './platform/db/one-at-a-time.js';
import { markDemoSeeded, seedDemoUsers } from './platform/seed/demo-users.js';
import { MODULES } from './modules/index.js';
import { createServices, type Services } from './services.js';

export interface OpenOptions {
  readonly migrate?: boolean;
  readonly clock?: () => Date;
  readonly poolSize?: number;
}

/** config -> keys -> database -> migrations -> services: shared by the server, the CLI, the tests and the bench. */
export async function openPlatform(config: Config, options: OpenOptions = {}): Promise<Services> {
  const keys = loadKeyMaterial(config);
  const db = openDatabase({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile, ...(options.poolSize ? { poolSize: options.poolSize } : {}) });
  if (options.migrate ?? true) await migrateToLatest(db);
  return createServices({ config, db, keys, ...(options.clock ? { clock: options.clock } : {}) });
}

/** Any number, the same in every instance: the advisory lock demo seeding takes on PostgreSQL. */
const DEMO_SEEDING_LOCK = 7_340_001;

/** Adds the synthetic demo records that are missing; instances starting together take turns, so each is added once. */
export async function seedDemo(services: Services): Promise<void> {
  await oneInstanceAtATime(services.db, DEMO_SEEDING_LOCK, async () => {
    await seedDemoUsers(services);
    for (const module of MODULES) await module.seedDemo?.(services);
    await markDemoSeeded(services);
  });
}
