import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { JobDefinition } from '../modules.js';
import type { Services } from '../../services.js';
import { newId } from '../db/ids.js';
import { claimRun, finishRun, type JobOutcome } from './runs.js';

export type JobLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

export type RunResult = { readonly ran: false; readonly reason: 'taken' | 'busy' | 'error' } | { readonly ran: true; readonly outcome: JobOutcome; readonly slot: string };

/** Who ran a tick, for job_runs and the log: host and process, so an operator can find the right log. */
export function newInstanceId(): string {
  return `${os.hostname()}:${String(process.pid)}:${newId().slice(-6)}`;
}

/**
 * Runs jobs for a scheduler: claims the tick in job_runs, runs the job, records the outcome. A job's error is
 * logged and recorded, never thrown: one failing job must not stop the others or the process.
 */
export function createJobRunner(services: Services, jobs: readonly JobDefinition[], logger: JobLogger, instanceId = newInstanceId()) {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const running = new Set<string>();

  function find(name: string): JobDefinition {
    const job = byName.get(name);
    if (!job) throw new Error(`There is no job called "${name}". Jobs: ${[...byName.keys()].join(', ')}`);
    return job;
  }

  async function execute(job: JobDefinition, slot: string): Promise<RunResult> {
    const clock = services.clock;
    if (!(await claimRun(services.db, { name: job.name, slot, instanceId, startedAt: clock().toISOString() }))) {
      logger.debug({ job: job.name, slot }, 'job tick already taken by another instance');
      return { ran: false, reason: 'taken' };
    }
    const started = performance.now();
    let outcome: JobOutcome = 'ok';
    try {
      await job.run(services);
    } catch (error: unknown) {
      outcome = 'failed';
      logger.error({ err: error, job: job.name, slot }, 'job failed');
    }
    try {
      await finishRun(services.db, job.name, slot, outcome, clock().toISOString());
    } catch (error: unknown) {
      logger.error({ err: error, job: job.name, slot }, 'could not record the end of a job run');
    }
    logger.info({ job: job.name, slot, outcome, ms: Math.round(performance.now() - started) }, 'job finished');
    return { ran: true, outcome, slot };
  }

  return {
    instanceId,
    jobs,
    find,

    /** Runs one tick of a job unless another instance, or this one, is already on it. */
    async runTick(name: string, slot: string): Promise<RunResult> {
      const job = find(name);
      if (running.has(name)) {
        logger.warn({ job: name, slot }, 'job still running from an earlier tick; this tick is skipped');
        return { ran: false, reason: 'busy' };
      }
      running.add(name);
      try {
        return await execute(job, slot);
      } catch (error: unknown) {
        logger.error({ err: error, job: name, slot }, 'could not claim a job tick');
        return { ran: false, reason: 'error' };
      } finally {
        running.delete(name);
      }
    },

    /** For operators and tests: runs a job at once, outside its schedule. */
    async runNow(name: string): Promise<RunResult> {
      return execute(find(name), `manual:${new Date().toISOString()}:${newId().slice(-8)}`);
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
