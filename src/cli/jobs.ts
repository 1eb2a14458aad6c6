import type { Command } from 'commander';
import type { PlatformJob } from '../platform/jobs/platform-jobs.js';
import type { JobRun } from '../platform/jobs/runs.js';
import type { JobDefinition } from '../platform/modules.js';
import { complain, logStream, say } from './output.js';
import { withPlatform } from './platform.js';

/** Longer than any job takes (the outbox stops claiming after 45 s): a run still open after this was cut off. */
const CUT_OFF_AFTER_MS = 60 * 60 * 1000;

/** A run's state for an operator; a process killed mid-run never records its end, so that is said, not "running". */
function runState(run: JobRun, now: Date): string {
  if (run.outcome) return run.outcome;
  return now.getTime() - Date.parse(run.started_at) > CUT_OFF_AFTER_MS ? 'did not finish (its process stopped mid-run)' : 'running';
}

function describe(job: JobDefinition): string {
  return 'description' in job ? (job as PlatformJob).description : '';
}

/** What the jobs commands use, loaded when one runs (see withPlatform). */
async function jobTools() {
  const [jobs, runs, logging] = await Promise.all([import('../jobs.js'), import('../platform/jobs/runs.js'), import('../platform/logging.js')]);
  return { ...jobs, ...runs, ...logging };
}

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('Scheduled jobs: list them with their last run, or run one now.');

  jobs
    .command('list')
    .description('List every scheduled job, its schedule (cron, UTC) and its last run on any instance.')
    .action(async () => {
      const { allJobs, createLogger, latestRuns } = await jobTools();
      await withPlatform(async (services) => {
        const logger = createLogger('silent');
        const latest = await latestRuns(services.db);
        const lines = [`Scheduler: ${services.db.dialect === 'postgres' ? 'pg-boss on PostgreSQL' : 'in-process, claims in job_runs (SQLite)'}`, ''];
        const jobs = allJobs(services, logger);
        const width = Math.max(...jobs.map((job) => job.name.length));
        for (const job of jobs) {
          const run = latest.get(job.name);
          const last = run ? `${run.started_at} ${runState(run, services.clock())} on ${run.instance_id}` : 'never';
          lines.push(`${job.name.padEnd(width)}  ${job.cron.padEnd(14)} last run: ${last}`);
          const text = describe(job);
          if (text) lines.push(`${''.padEnd(width)}  ${text}`);
        }
        say(...lines);
      });
    });

  jobs
    .command('run')
    .description('Run one job now, outside its schedule (it may also run at its next tick as usual).')
    .argument('<name>', 'a job name from `jobs list`, e.g. outbox.deliver')
    .action(async (name: string) => {
      const { createLogger, runJobNow } = await jobTools();
      await withPlatform(async (services) => {
        const logger = createLogger(services.config.LOG_LEVEL, logStream());
        const result = await runJobNow(services, name, logger);
        services.delivery.close();
        if (result.ran && result.outcome === 'ok') {
          say(`Ran ${name}: ok`);
          return;
        }
        complain(`Ran ${name}: ${result.ran ? result.outcome : result.reason} (details in the log above)`);
      });
    });
}
