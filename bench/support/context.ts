import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { createLogger } from '../../src/platform/logging.js';
import { createTestPlatform } from '../../test/support/platform.js';
import { signIn } from '../../test/support/visitor.js';
import type { BenchContext, BenchDialect, LoadOptions } from './types.js';

export interface RunningBench {
  readonly context: BenchContext;
  close(): Promise<void>;
}

/**
 * A freshly migrated and seeded platform on one database, served over real HTTP on a free local port by the same
 * app factory as production, logging at `info` as production does (to /dev/null, so the terminal shows the table).
 * The rate limit is raised: the bench sends thousands of requests from one address on purpose.
 */
export async function startBench(dialect: BenchDialect, durationSeconds: number): Promise<RunningBench> {
  const platform = await createTestPlatform({
    postgresUrl: dialect === 'postgres' ? (process.env['DATABASE_URL'] ?? null) : null,
    env: { RATE_LIMIT_PER_MINUTE: '100000000', OPEN_DATA_RATE_LIMIT_PER_MINUTE: '100000000' },
  });
  const app = await buildApp({ services: platform.services, logger: createLogger('info', pino.destination('/dev/null')) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  const served = { ...platform, app };

  const context: BenchContext = {
    dialect,
    platform: served,
    baseUrl,
    durationSeconds,
    async cookieFor(email) {
      const visitor = await signIn(served, email);
      const value = visitor.cookie(platform.services.sessionCookie.name);
      if (!value) throw new Error(`No session for ${email}`);
      return `${platform.services.sessionCookie.name}=${value}`;
    },
    async csrfTokenFor(cookie) {
      const page = await app.inject({ url: '/app/account', headers: { cookie } });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (!token) throw new Error(`No form token on /app/account (${String(page.statusCode)})`);
      return token;
    },
    async load(options: LoadOptions, expectedStatus = 200) {
      const result = await autocannon({
        url: `${options.baseUrl ?? baseUrl}${options.path}`,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
        connections: options.connections ?? 10,
        // The load generator runs on its own thread, so it does not share the server's event loop.
        workers: 1,
        ...(options.amount === undefined ? { duration: options.duration ?? durationSeconds } : { amount: options.amount }),
      });
      const unexpected = Object.entries(result.statusCodeStats ?? {}).filter(([status]) => Number(status) !== expectedStatus);
      if (unexpected.length > 0 || result.errors > 0) {
        throw new Error(`${options.path}: expected only ${String(expectedStatus)} but got ${JSON.stringify(result.statusCodeStats)} and ${String(result.errors)} errors`);
      }
      return result;
    },
  };
  return {
    context,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}
