import { startBareFastify } from '../support/bare-fastify.js';
import type { BenchRow, Scenario } from '../support/types.js';

/**
 * The platform's own overhead: session lookup, access check, CSRF token, nav, Nunjucks render and security headers
 * on every authenticated page, measured against a bare Fastify route in this same process, in the same run.
 */
export const platformScenario: Scenario = {
  name: 'platform',
  description: 'Authenticated page throughput against a bare Fastify route in this process; p99 latency at 50 connections',
  async run(context) {
    const rows: BenchRow[] = [];
    const row = (measure: string, target: string, measured: string, pass?: boolean): BenchRow => ({
      scenario: 'platform',
      database: context.dialect,
      measure,
      target,
      measured,
      ...(pass === undefined ? {} : { pass }),
    });
    const cookie = await context.cookieFor('practitioner@demo.invalid');
    const page = { path: '/app', headers: { cookie } };
    await context.load({ ...page, duration: 1 }); // warm up: JIT, template cache, connection pool

    if (context.dialect === 'sqlite') {
      const bare = await startBareFastify();
      try {
        await context.load({ path: bare.path, baseUrl: bare.baseUrl, duration: 1 });
        const baseline = await context.load({ path: bare.path, baseUrl: bare.baseUrl, connections: 10 });
        const authenticated = await context.load({ ...page, connections: 10 });
        const ratio = authenticated.requests.average / baseline.requests.average;
        rows.push(row('bare Fastify route, requests/s (10 connections)', '-', baseline.requests.average.toFixed(0)));
        rows.push(row('authenticated page /app, requests/s (10 connections)', '-', authenticated.requests.average.toFixed(0)));
        rows.push(row('authenticated / bare throughput', '>= 30%', `${(ratio * 100).toFixed(1)}%`, ratio >= 0.3));
      } finally {
        await bare.close();
      }
    }

    const loaded = await context.load({ ...page, connections: 50 });
    rows.push(row('authenticated page p99 latency, 50 connections', '< 50 ms', `${String(loaded.latency.p99)} ms (p50 ${String(loaded.latency.p50)} ms, ${loaded.requests.average.toFixed(0)} req/s)`, loaded.latency.p99 < 50));
    return rows;
  },
};
