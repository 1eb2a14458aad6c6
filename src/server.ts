import { buildApp } from './app.js';
import { openPlatform, seedDemo } from './bootstrap.js';
import { startupBanner } from './banner.js';
import { ConfigError, loadConfig, misspeltSettings } from './config.js';
import { createLogger } from './platform/logging.js';
import { demoDataPresent } from './platform/seed/demo-users.js';
import { startJobs } from './jobs.js';
import { markRunning } from './platform/db/running-servers.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  for (const warning of misspeltSettings(process.env)) process.stderr.write(`Warning: ${warning}\n`);
  const logger = createLogger(config.LOG_LEVEL);
  // Marked before the database is opened, so `restore` never finds it open and unmarked.
  const unmark = config.DATABASE_URL ? undefined : markRunning(config.DATA_DIR);
  const services = await openPlatform(config);
  if (config.NODE_ENV === 'production') {
    const demo = await demoDataPresent(services);
    if (demo.length > 0) {
      await services.db.destroy();
      unmark?.();
      throw new ConfigError(`Refusing to start in production: the database holds demo data, whose sign-ins are public (found: ${demo.join(', ')}). Use a database that never ran the demo.`);
    }
  }
  await services.reference.seedReference();
  if (config.SEED_DEMO) await seedDemo(services);
  const app = await buildApp({ services, logger });
  const jobs = config.JOBS ? await startJobs(services, logger) : undefined;

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // New requests stop at once (the load balancer moves them on) while a job under way finishes its step.
    services.delivery.stopClaiming();
    await Promise.all([app.close(), jobs?.stop()]);
    await services.db.destroy();
    unmark?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const listening = await app.listen({ host: config.HOST, port: config.PORT });
  // With PORT=0 the system picks the port, so the address actually bound is the one to print.
  process.stdout.write(startupBanner(config.BASE_URL ?? listening, services.db.dialect, config));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
    process.stderr.write(`Failed to start (${(error as Error).message}): another program, perhaps this service already running, listens there. Stop it, or set PORT to a free port.\n`);
    process.exit(1);
  }
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
