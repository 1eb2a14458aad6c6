import type autocannon from 'autocannon';
import type { TestPlatform } from '../../test/support/platform.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface LoadOptions {
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly connections?: number;
  /** Seconds; defaults to the run's --duration. Ignored when `amount` is given. */
  readonly duration?: number;
  /** Stop after this many requests instead of after a duration. */
  readonly amount?: number;
  /** Another server in this process (e.g. the bare Fastify baseline) instead of the platform. */
  readonly baseUrl?: string;
}

/** What a scenario gets: the platform running on one database, listening on a local port, and a load generator. */
export interface BenchContext {
  readonly dialect: BenchDialect;
  readonly platform: TestPlatform;
  readonly baseUrl: string;
  readonly durationSeconds: number;
  /** The Cookie header of a fully signed-in session (password and authenticator code) for a demo persona. */
  cookieFor(email: string): Promise<string>;
  /** The CSRF token that session's forms carry, for scenarios that post forms (send it as `_csrf`). */
  csrfTokenFor(cookie: string): Promise<string>;
  /** Runs autocannon against the server and fails loudly if any answer was not the expected status. */
  load(options: LoadOptions, expectedStatus?: number): Promise<autocannon.Result>;
}

/** One line of the printed table. `pass` is undefined for figures reported without a target. */
export interface BenchRow {
  readonly scenario: string;
  readonly database: BenchDialect;
  readonly measure: string;
  readonly target: string;
  readonly measured: string;
  readonly pass?: boolean;
}

/**
 * A benchmark scenario. Add one by writing `bench/scenarios/<name>.ts` and listing it in `bench/scenarios/index.ts`;
 * `run` is called once per database (SQLite always, PostgreSQL when DATABASE_URL is set) on a freshly seeded platform.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}
