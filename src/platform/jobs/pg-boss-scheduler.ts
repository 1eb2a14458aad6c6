import pg from 'pg';
import PgBoss from 'pg-boss';
import { slotOf } from './cron.js';
import type { JobLogger, JobRunner } from './runner.js';
import type { Scheduler } from './scheduler.js';

/** pg-boss keeps its own tables in this schema; it creates and migrates them itself. */
export const PG_BOSS_SCHEMA = 'pgboss';
const STOP_TIMEOUT_MS = 30_000;
const SETUP_LOCK = 7_104_002;

/**
 * Instances starting together would each create pg-boss queues (tables and partitions) at the same moment, which
 * PostgreSQL can resolve only by aborting one with a deadlock; a session advisory lock makes them take turns.
 */
async function setUpOneInstanceAtATime(connectionString: string, work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString, application_name: 'dapp-jobs-setup' });
  // Lost mid-setup, its query fails and start reports that; the event itself must not end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SETUP_LOCK]);
    await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [SETUP_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/**
 * For PostgreSQL: pg-boss turns each cron tick into one job (one instance's clock monitor wins each interval and
 * a singleton key per minute drops duplicates), and workers on every instance compete for it with SKIP LOCKED,
 * so a tick runs on exactly one instance. The run is also claimed in job_runs, which keeps the history that
 * `jobs list` shows and guards against pg-boss ever handing out the same tick twice.
 */
export function createPgBossScheduler(runner: JobRunner, logger: JobLogger, connectionString: string): Scheduler {
  const boss = new PgBoss({
    connectionString,
    schema: PG_BOSS_SCHEMA,
    max: 3,
    application_name: 'dapp-jobs',
    // A missed tick is made good by the next one: retrying an old tick would only run the job twice.
    retryLimit: 0,
    expireInSeconds: 15 * 60,
    archiveCompletedAfterSeconds: 60 * 60,
    deleteAfterDays: 7,
  });
  boss.on('error', (error) => {
    logger.error({ err: error }, 'job queue error');
  });
  let started = false;

  return {
    kind: 'pg-boss',
    async start() {
      const names = new Set(runner.jobs.map((job) => job.name));
      await setUpOneInstanceAtATime(connectionString, async () => {
        await boss.start();
        started = true;
        for (const schedule of await boss.getSchedules()) {
          if (!names.has(schedule.name)) await boss.unschedule(schedule.name);
        }
        for (const job of runner.jobs) {
          await boss.createQueue(job.name, { name: job.name, policy: 'standard', retryLimit: 0, expireInSeconds: 15 * 60 });
          await boss.schedule(job.name, job.cron, {}, { tz: 'UTC', retryLimit: 0 });
        }
      });
      for (const job of runner.jobs) {
        await boss.work(job.name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: 2 }, async (ticks) => {
          for (const tick of ticks) {
            await runner.runTick(tick.name, tick.singletonOn ? slotOf(new Date(tick.singletonOn)) : `pg-boss:${tick.id}`);
          }
        });
      }
      logger.info({ jobs: [...names], instance: runner.instanceId }, 'pg-boss job scheduler started');
    },
    async stop() {
      if (!started) return;
      started = false;
      try {
        // Graceful: workers finish the job in hand before the connections close.
        await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      } catch (error: unknown) {
        logger.error({ err: error }, 'job queue did not stop cleanly');
      }
    },
  };
}
