import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './services.js';

export interface RunningJobs {
  stop(): Promise<void>;
}

/** Scheduled work for this instance. Filled in by the jobs platform (outbox delivery, reminders, retention). */
export async function startJobs(services: Services, logger: FastifyBaseLogger): Promise<RunningJobs> {
  const timer = setInterval(() => {
    services.sessions.purgeExpired().catch((error: unknown) => {
      logger.error({ err: error }, 'session purge failed');
    });
  }, 5 * 60 * 1000);
  timer.unref();
  return Promise.resolve({
    stop: () => {
      clearInterval(timer);
      return Promise.resolve();
    },
  });
}
