import { ConfigError, type Config } from './config.js';
import { settleAuditKeying } from './platform/audit/keying.js';
import { checkKeysReadData } from './platform/crypto/keys-read.js';
import { loadKeyMaterial } from './platform/crypto/keys.js';
import { allEncryptedColumns } from './platform/crypto/rotation.js';
import { openDatabase, type Db } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { oneInstanceAtATime } from './platform/db/one-at-a-time.js';
import { isDatabaseUnreachable } from './platform/db/unreachable.js';
import { markDemoSeeded, seedDemoUsers } from './platform/seed/demo-users.js';
import { MODULES } from './modules/index.js';
import { createServices, type Services } from './services.js';

export interface OpenOptions {
  readonly migrate?: boolean;
  readonly clock?: () => Date;
  readonly poolSize?: number;
  /** Whether an embedded key file from before the audit key records where the trail's unsealed start ends: not for operator commands (see settleAuditKeying). */
  readonly recordAuditKeying?: boolean;
}

/** config -> keys -> database -> migrations -> services: shared by the server, the CLI, the tests and the bench. */
export async function openPlatform(config: Config, options: OpenOptions = {}): Promise<Services> {
  const keys = loadKeyMaterial(config);
  const db = openDatabase({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile, ...(options.poolSize ? { poolSize: options.poolSize } : {}) });
  if (options.migrate ?? true) await migrateOrClose(db, config);
  const settled = await (async () => {
    // Only on the schema this code knows: operator commands that open an older database as it is (backup, audit verify) do not decrypt.
    if (options.migrate ?? true) await checkKeysReadData(db, keys, allEncryptedColumns(MODULES));
    return settleAuditKeying(keys, db, config, { record: options.recordAuditKeying ?? true });
  })().catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  return createServices({ config, db, keys: settled, ...(options.clock ? { clock: options.clock } : {}) });
}

/**
 * The operator's `migrate`: the schema brought up to date before the audit trail is read (a database made a moment
 * ago has none yet). Returns the migrations applied.
 */
export async function migrateDatabase(config: Config): Promise<string[]> {
  loadKeyMaterial(config); // the embedded default makes its key file with its database, never after it
  const db = openDatabase({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  const applied = await migrateOrClose(db, config);
  await db.destroy();
  return applied;
}

async function migrateOrClose(db: Db, config: Config): Promise<string[]> {
  return migrateToLatest(db).catch(async (error: unknown) => {
    await db.destroy();
    throw unreachable(error, config) ?? error;
  });
}

/** A database that cannot be reached, said as the setting to check (never the address itself: it may hold a password). */
function unreachable(error: unknown, config: Config): ConfigError | undefined {
  if (!config.DATABASE_URL || !isDatabaseUnreachable(error)) return undefined;
  return new ConfigError(`Could not use the PostgreSQL database in DATABASE_URL: ${(error as Error).message}. Check the address, that the server is running, and that the database and role exist.`);
}

/** Any number, the same in every instance: the advisory lock demo seeding takes on PostgreSQL. */
const DEMO_SEEDING_LOCK = 7_340_001;

/** Adds the synthetic demo records that are missing; instances starting together take turns, so each is added once. */
export async function seedDemo(services: Services): Promise<void> {
  await oneInstanceAtATime(services.db, DEMO_SEEDING_LOCK, async () => {
    // Marked first: a seed that fails half-way has still put public demo sign-ins in the database.
    await markDemoSeeded(services);
    await seedDemoUsers(services);
    for (const module of MODULES) await module.seedDemo?.(services);
  });
}
