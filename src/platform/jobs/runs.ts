import type { Selectable } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import type { JobRunTable } from './tables.js';

export type JobRun = Selectable<JobRunTable>;
export type JobOutcome = 'ok' | 'failed';

/**
 * Claims one tick of one job for this instance. The primary key (name, slot) lets exactly one claimant insert the
 * row, whichever database and however many processes; the others learn the tick is taken and skip it.
 */
export async function claimRun(db: Db, run: { name: string; slot: string; instanceId: string; startedAt: string }): Promise<boolean> {
  const result = await db.kysely
    .insertInto('job_runs')
    .values({ name: run.name, slot: run.slot, instance_id: run.instanceId, started_at: run.startedAt, finished_at: null, outcome: null })
    .onConflict((oc) => oc.columns(['name', 'slot']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function finishRun(db: Db, name: string, slot: string, outcome: JobOutcome, finishedAt: string): Promise<void> {
  await db.kysely.updateTable('job_runs').set({ finished_at: finishedAt, outcome }).where('name', '=', name).where('slot', '=', slot).execute();
}

/** The latest run of each job, for `jobs list`. */
export async function latestRuns(db: Db): Promise<Map<string, JobRun>> {
  const rows = await db.kysely
    .selectFrom('job_runs as run')
    .selectAll('run')
    .where((eb) =>
      eb(
        'run.started_at',
        '=',
        eb.selectFrom('job_runs as newer').select((inner) => inner.fn.max('newer.started_at').as('latest')).whereRef('newer.name', '=', 'run.name'),
      ),
    )
    .execute();
  return new Map(rows.map((row) => [row.name, row]));
}

export async function deleteRunsBefore(executor: Executor, before: string): Promise<number> {
  const result = await executor.deleteFrom('job_runs').where('started_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
