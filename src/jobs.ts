import type { JobDefinition } from './platform/modules.js';
import { assertValidCron } from './platform/jobs/cron.js';
import { createInProcessScheduler } from './platform/jobs/in-process-scheduler.js';
import { createPgBossScheduler } from './platform/jobs/pg-boss-scheduler.js';
import { platformJobs } from './platform/jobs/platform-jobs.js';
import { createJobRunner, type JobLogger, type RunResult } from './platform/jobs/runner.js';
import type { Scheduler } from './platform/jobs/scheduler.js';
import { MODULES } from './modules/index.js';
import type { Services } from './services.js';

export interface RunningJobs {
  readonly scheduler: Scheduler['kind'];
  stop(): Promise<void>;
}

/** The platform's jobs and every enabled module's, checked once: unique names and valid cron expressions. */
export function allJobs(services: Services, logger: JobLogger): JobDefinition[] {
  const enabled = MODULES.filter((module) => services.config.SURFACES.includes(module.surface));
  const jobs = [...platformJobs(logger), ...enabled.flatMap((module) => module.jobs ?? [])];
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) throw new Error(`Two jobs are called "${job.name}".`);
    if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(job.name)) throw new Error(`Job name "${job.name}" must be lower-case words separated by dots or hyphens.`);
    seen.add(job.name);
    assertValidCron(job.cron);
  }
  return jobs;
}

/**
 * Scheduled work for this instance (started by server.ts when JOBS=true). Each tick of each job runs once across
 * every instance that shares the database: pg-boss on PostgreSQL, a job_runs claim on SQLite.
 */
export async function startJobs(services: Services, logger: JobLogger): Promise<RunningJobs> {
  const runner = createJobRunner(services, allJobs(services, logger), logger);
  const connectionString = services.config.DATABASE_URL;
  const scheduler = connectionString ? createPgBossScheduler(runner, logger, connectionString) : createInProcessScheduler(runner, logger);
  await scheduler.start();
  return {
    scheduler: scheduler.kind,
    async stop() {
      await scheduler.stop();
      logger.info('job scheduler stopped');
    },
  };
}

/** Runs one job at once, outside its schedule: for the `jobs run` command and for tests. */
export function runJobNow(services: Services, name: string, logger: JobLogger): Promise<RunResult> {
  return createJobRunner(services, allJobs(services, logger), logger).runNow(name);
}
