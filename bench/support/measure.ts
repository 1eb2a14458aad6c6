import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchContext } from './types.js';
import { ms, recordServerTimes, type TimeSummary } from './server-timing.js';

const CYCLE_HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'request-cycle.cts');

// autocannon reads percentiles from its histogram helper's shared list (p90, p97.5, ... but no p95, which is what the
// issues set targets on). Adding 95 to that list makes its own exact histogram report p95 as `latency.p95`.
const autocannonRequire = createRequire(createRequire(import.meta.url).resolve('autocannon'));
const histogramPercentiles = (autocannonRequire('hdr-histogram-percentiles-obj') as { percentiles: number[] }).percentiles;
if (!histogramPercentiles.includes(95)) histogramPercentiles.push(95);

export interface CycleEntry {
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface MeasureOptions {
  /** One address for every request, or a list taken in turn across all connections (see request-cycle.cts). */
  readonly path?: string;
  readonly cycle?: readonly CycleEntry[];
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  /** Seconds; defaults to the run's --duration. Ignored when `amount` is given. */
  readonly duration?: number;
  readonly amount?: number;
  readonly expectedStatus?: number;
  /** Another server (the bare Fastify baseline); server times are then not recorded. */
  readonly baseUrl?: string;
}

export interface Measurement {
  readonly requests: number;
  readonly perSecond: number;
  /** Response time as the load generator saw it, on this machine: what the issues' p95 targets are about. */
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** Time inside the server process only (see server-timing.ts): excludes the wait for the event loop; empty for another server. */
  readonly handler: TimeSummary;
}

/**
 * One load measurement against the platform: autocannon on its own thread, server time recorded in-process,
 * and a loud failure if any answer was not the expected status (a fast error page is not a result).
 */
export async function measure(context: BenchContext, options: MeasureOptions): Promise<Measurement> {
  const expected = options.expectedStatus ?? 200;
  let cycleFile: string | undefined;
  if (options.cycle) {
    cycleFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cycle-')), 'requests.json');
    fs.writeFileSync(cycleFile, JSON.stringify(options.cycle));
    // The worker thread copies the environment when it starts: set it just before.
    process.env['BENCH_REQUEST_CYCLE_FILE'] = cycleFile;
  }
  const timer = options.baseUrl ? undefined : recordServerTimes(context.platform.app.server);
  const started = performance.now();
  try {
    const firstPath = options.cycle?.[0]?.path ?? options.path ?? '/';
    const result = await autocannon({
      url: `${options.baseUrl ?? context.baseUrl}${firstPath}`,
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
      connections: options.connections,
      workers: 1,
      ...(options.cycle ? { requests: [{ setupRequest: CYCLE_HOOK }] } : {}),
      ...(options.amount === undefined ? { duration: options.duration ?? context.durationSeconds } : { amount: options.amount }),
    });
    const unexpected = Object.entries(result.statusCodeStats ?? {}).filter(([status]) => Number(status) !== expected);
    if (unexpected.length > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${firstPath}: expected only ${String(expected)} but got ${JSON.stringify(result.statusCodeStats)}, ${String(result.errors)} errors and ${String(result.timeouts)} timeouts`);
    }
    const handler = timer?.stop();
    // For a fixed amount, autocannon's duration (and its start and finish) run to whole one-second ticks, which made
    // 1,000 requests in 2.2 s read as 333 a second whatever the pace. The server's own span, from the first request's
    // arrival to the last answer, is the honest divisor; the wall clock (which includes starting the load generator)
    // stands in for another server.
    const spanMs = handler && Number.isFinite(handler.spanMs) ? handler.spanMs : performance.now() - started;
    return {
      requests: result.requests.total,
      perSecond: options.amount === undefined ? result.requests.average : result.requests.total / (spanMs / 1000),
      latency: { p50: result.latency.p50, p95: (result.latency as unknown as Record<string, number>)['p95'] ?? Number.NaN, p99: result.latency.p99 },
      handler: handler ?? { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN },
    };
  } finally {
    timer?.stop();
    if (cycleFile) {
      delete process.env['BENCH_REQUEST_CYCLE_FILE'];
      fs.rmSync(path.dirname(cycleFile), { recursive: true, force: true });
    }
  }
}

/** "p95 12 ms (p50 9.0 ms; in handler p95 1.2 ms); 1234 req/s": every figure behind a pass or fail, on one line. */
export function describe(measurement: Measurement): string {
  const { latency, handler } = measurement;
  return `p95 ${ms(latency.p95)} (p50 ${ms(latency.p50)}; in handler p95 ${ms(handler.p95)}); ${measurement.perSecond.toFixed(0)} req/s`;
}
