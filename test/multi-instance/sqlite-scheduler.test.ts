import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPlatform } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { JobDefinition } from '../../src/platform/modules.js';
import { createInProcessScheduler } from '../../src/platform/jobs/in-process-scheduler.js';
import { createJobRunner } from '../../src/platform/jobs/runner.js';
import type { Services } from '../../src/services.js';
import { captureLog } from '../support/capture-log.js';

/** Two processes on one SQLite file are two connections to it; each gets its own platform, as a process would. */
describe('the in-process scheduler on one SQLite file shared by two instances', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-sched-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  let first: Services;
  let second: Services;
  const runs: string[] = [];

  function countingJob(cron = '* * * * *'): JobDefinition {
    return {
      name: 'test.count',
      cron,
      async run(services) {
        runs.push(services === first ? 'first' : 'second');
        // Yield so the other instance's claim really does overlap this run.
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  beforeAll(async () => {
    first = await openPlatform(config);
    second = await openPlatform(config);
  });
  afterEach(async () => {
    vi.useRealTimers();
    runs.length = 0;
    await first.db.kysely.deleteFrom('job_runs').execute();
  });
  afterAll(async () => {
    await first.db.destroy();
    await second.db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a tick once when both schedulers reach it together, and records who ran it', async () => {
    const log = captureLog();
    const a = createInProcessScheduler(createJobRunner(first, [countingJob()], log.logger, 'instance-a'), log.logger);
    const b = createInProcessScheduler(createJobRunner(second, [countingJob()], log.logger, 'instance-b'), log.logger);
    const tick = new Date('2026-12-01T10:15:00.000Z');
    const [fromA, fromB] = await Promise.all([a.runDueAt(tick), b.runDueAt(tick)]);
    expect(runs).toHaveLength(1);
    expect([fromA, fromB].flat().map((result) => result.ran).sort()).toEqual([false, true]);
    const rows = await first.db.kysely.selectFrom('job_runs').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'test.count', slot: '2026-12-01T10:15:00.000Z', outcome: 'ok' });
    expect(['instance-a', 'instance-b']).toContain(rows[0]?.instance_id);
  });

  it('runs each of many ticks once across the two schedulers', async () => {
    const log = captureLog('silent');
    const a = createInProcessScheduler(createJobRunner(first, [countingJob()], log.logger, 'instance-a'), log.logger);
    const b = createInProcessScheduler(createJobRunner(second, [countingJob()], log.logger, 'instance-b'), log.logger);
    const ticks = Array.from({ length: 20 }, (_unused, index) => new Date(Date.UTC(2026, 11, 1, 11, index)));
    for (const tick of ticks) await Promise.all([a.runDueAt(tick), b.runDueAt(tick)]);
    expect(runs).toHaveLength(20);
    expect(Number((await first.db.kysely.selectFrom('job_runs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(20);
  });

  it('wakes on its timer at each minute and, with two started, still runs the tick once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-12-01T12:00:30.000Z') });
    const log = captureLog('silent');
    const a = createInProcessScheduler(createJobRunner(first, [countingJob()], log.logger, 'instance-a'), log.logger);
    const b = createInProcessScheduler(createJobRunner(second, [countingJob()], log.logger, 'instance-b'), log.logger);
    await a.start();
    await b.start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(2);
    await a.stop();
    await b.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toHaveLength(2);
    const slots = await first.db.kysely.selectFrom('job_runs').select('slot').orderBy('slot').execute();
    expect(slots.map((row) => row.slot)).toEqual(['2026-12-01T12:01:00.000Z', '2026-12-01T12:02:00.000Z']);
  });

  it('runs only the jobs whose schedule has that minute', async () => {
    const log = captureLog('silent');
    const hourly = { ...countingJob('0 * * * *'), name: 'test.hourly' };
    const scheduler = createInProcessScheduler(createJobRunner(first, [hourly], log.logger), log.logger);
    expect(await scheduler.runDueAt(new Date('2026-12-01T13:05:00.000Z'))).toEqual([]);
    expect(await scheduler.runDueAt(new Date('2026-12-01T14:00:00.000Z'))).toMatchObject([{ ran: true, outcome: 'ok' }]);
  });

  it('logs and records a failing job without stopping the others', async () => {
    const log = captureLog();
    const failing: JobDefinition = {
      name: 'test.fails',
      cron: '* * * * *',
      run: () => Promise.reject(new Error('the job broke')),
    };
    const scheduler = createInProcessScheduler(createJobRunner(first, [failing, countingJob()], log.logger), log.logger);
    const results = await scheduler.runDueAt(new Date('2026-12-01T15:00:00.000Z'));
    expect(results).toMatchObject([{ ran: true, outcome: 'failed' }, { ran: true, outcome: 'ok' }]);
    expect(runs).toHaveLength(1);
    expect(log.lines.find((line) => line['msg'] === 'job failed')).toMatchObject({ job: 'test.fails', level: 50 });
    const failed = await first.db.kysely.selectFrom('job_runs').selectAll().where('name', '=', 'test.fails').executeTakeFirstOrThrow();
    expect(failed.outcome).toBe('failed');
    expect(failed.finished_at).not.toBeNull();
  });

  it('waits for a job in progress when it stops', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-12-01T16:00:59.000Z') });
    const log = captureLog('silent');
    let release: () => void = () => undefined;
    let finished = false;
    const slow: JobDefinition = {
      name: 'test.slow',
      cron: '* * * * *',
      async run() {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        finished = true;
      },
    };
    const scheduler = createInProcessScheduler(createJobRunner(first, [slow], log.logger), log.logger);
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = scheduler.stop();
    expect(finished).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
  });
});
