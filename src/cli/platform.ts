import { openPlatform } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { Services } from '../services.js';

/** Opens the platform from the environment for one command and always closes the database afterwards. */
export async function withPlatform<T>(work: (services: Services) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const services = await openPlatform(loadConfig(process.env), options);
  try {
    return await work(services);
  } finally {
    await services.db.destroy();
  }
}
