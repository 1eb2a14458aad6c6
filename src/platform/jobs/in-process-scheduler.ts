import { isTick, nextTick, slotOf } from './cron.js';
import type { JobLogger, JobRunner, RunResult } from './runner.js';
import type { Scheduler } from './scheduler.js';

/** setTimeout cannot wait longer than about 24 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 24 * 60 * 60 * 1000;

export interface InProcessScheduler extends Scheduler {
  /** Runs every job with a tick at this minute; what the timer calls, exposed so tests can drive a tick directly. */
  runDueAt(at: Date): Promise<RunResult[]>;
}

/**
 * For the embedded SQLite database: a timer in this process wakes at each tick and claims it in job_runs
 * (primary key name + slot), so that two processes on one SQLite file still run each tick once. Ticks missed
 * while the process was down are not caught up: every platform job picks up all outstanding work when it runs.
 */
export function createInProcessScheduler(runner: JobRunner, logger: JobLogger, clock: () => Date = () => new Date()): InProcessScheduler {
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  const inFlight = new Set<Promise<unknown>>();

  function nextDue(after: Date): Date {
    const ticks = runner.jobs.map((job) => nextTick(job.cron, after).getTime());
    return new Date(Math.min(...ticks));
  }

  async function runDueAt(at: Date): Promise<RunResult[]> {
    const due = runner.jobs.filter((job) => isTick(job.cron, at));
    return Promise.all(due.map((job) => runner.runTick(job.name, slotOf(at))));
  }

  function arm(): void {
    if (stopped || runner.jobs.length === 0) return;
    const now = clock();
    const due = nextDue(now);
    const wait = Math.min(Math.max(0, due.getTime() - now.getTime()), MAX_TIMER_MS);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      if (clock().getTime() >= due.getTime() - 1000) {
        const work = runDueAt(due).catch((error: unknown) => {
          logger.error({ err: error }, 'scheduled tick failed');
        });
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      }
      arm();
    }, wait);
  }

  return {
    kind: 'in-process',
    runDueAt,
    start() {
      if (!stopped) return Promise.resolve();
      stopped = false;
      arm();
      logger.info({ jobs: runner.jobs.map((job) => job.name), instance: runner.instanceId }, 'in-process job scheduler started');
      return Promise.resolve();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all([...inFlight]);
    },
  };
}
