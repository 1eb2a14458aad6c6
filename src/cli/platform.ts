import fs from 'node:fs';
import { operatorConfig, OperatorError } from './output.js';
import type { Services } from '../services.js';

/**
 * Opens the platform from the environment for one command and always closes the database afterwards. The platform
 * is loaded here, when a command runs, not when the CLI starts: `--help` and a mistyped command answer at once.
 * Command files load their other heavy parts (modules, jobs, importers) the same way, inside their actions.
 */
export async function withPlatform<T>(work: (services: Services) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const config = operatorConfig();
  // A command that reads a database as it is (backup, audit verify) makes none, nor a key file, in a mistyped folder.
  if (options.migrate === false && !config.DATABASE_URL && !fs.existsSync(config.sqliteFile)) {
    throw new OperatorError(`There is no database at ${config.sqliteFile}. Check DATA_DIR: it should be the folder the service runs from.`);
  }
  const { openPlatform } = await import('../bootstrap.js');
  const services = await openPlatform(config, { ...options, recordAuditKeying: false });
  try {
    return await work(services);
  } finally {
    await services.db.destroy();
  }
}
