import { loadConfig } from '../config.js';
import type { Services } from '../services.js';

/**
 * Opens the platform from the environment for one command and always closes the database afterwards. The platform
 * is loaded here, when a command runs, not when the CLI starts: `--help` and a mistyped command answer at once.
 * Command files load their other heavy parts (modules, jobs, importers) the same way, inside their actions.
 */
export async function withPlatform<T>(work: (services: Services) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const { openPlatform } = await import('../bootstrap.js');
  const services = await openPlatform(loadConfig(process.env), { ...options, recordAuditKeying: false });
  try {
    return await work(services);
  } finally {
    await services.db.destroy();
  }
}
