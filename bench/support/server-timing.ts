import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface TimeSummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Nearest-rank percentile of already sorted values (milliseconds). */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

export function summarise(times: readonly number[]): TimeSummary {
  const sorted = [...times].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

/**
 * Time inside the server of each request: from Node handing the parsed request to the app (before Fastify's own
 * listener runs) until the answer is handed to the socket. It leaves out the time a request waits for a busy event
 * loop before it is parsed, so under load it is far below the response time: it shows what one answer costs.
 */
export function recordServerTimes(server: Server, wanted: (url: string) => boolean = () => true): { stop(): TimeSummary & { readonly spanMs: number } } {
  const times: number[] = [];
  let first: bigint | undefined;
  let last: bigint | undefined;
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (!wanted(request.url ?? '')) return;
    const start = process.hrtime.bigint();
    first ??= start;
    response.once('finish', () => {
      last = process.hrtime.bigint();
      times.push(Number(last - start) / 1e6);
    });
  };
  server.prependListener('request', listener);
  return {
    /** With the span from the first request's arrival to the last answer: the time the server was busy with the run. */
    stop() {
      server.off('request', listener);
      return { ...summarise(times), spanMs: first !== undefined && last !== undefined ? Number(last - first) / 1e6 : Number.NaN };
    },
  };
}

export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
}
