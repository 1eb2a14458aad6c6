/**
 * Runs each job once per tick of its cron schedule across every instance sharing the database. Two
 * implementations: pg-boss on PostgreSQL, an in-process timer that claims ticks in job_runs on SQLite.
 */
export interface Scheduler {
  readonly kind: 'pg-boss' | 'in-process';
  start(): Promise<void>;
  /** Stops taking ticks and waits for jobs in progress to finish. */
  stop(): Promise<void>;
}
