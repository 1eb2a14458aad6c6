import type { Db } from '../db/database.js';

/** Failures counted within this window; older ones are forgotten. */
const WINDOW_MS = 15 * 60 * 1000;

export interface ThrottleRule {
  /** Failures allowed before any wait. */
  readonly free: number;
  /** Failures at which the key is locked out for LOCKOUT_MS. */
  readonly lockAt: number;
}

const LOCKOUT_MS = 15 * 60 * 1000;

export const ACCOUNT_RULE: ThrottleRule = { free: 3, lockAt: 5 };
export const ADDRESS_RULE: ThrottleRule = { free: 10, lockAt: 30 };
/** Password reset links to one address: the third in 15 minutes is the last until the 15-minute wait is over. */
export const RESET_RULE: ThrottleRule = { free: 2, lockAt: 3 };

export type ThrottleState = { readonly locked: false } | { readonly locked: true; readonly retryAfterSeconds: number };

/**
 * Back-off then lockout, per account and per address, kept in the database so every instance agrees.
 * After `free` failures each further one makes the next try wait longer (30s, 60s, 120s...); at `lockAt`
 * the key is locked for 15 minutes.
 */
export function createThrottle(db: Db, clock: () => Date = () => new Date()) {
  return {
    async state(key: string): Promise<ThrottleState> {
      const row = await db.kysely.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!row?.locked_until) return { locked: false };
      const remaining = Date.parse(row.locked_until) - clock().getTime();
      return remaining > 0 ? { locked: true, retryAfterSeconds: Math.ceil(remaining / 1000) } : { locked: false };
    },

    async fail(key: string, rule: ThrottleRule): Promise<void> {
      const now = clock();
      const row = await db.kysely.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
      const stale = !row || now.getTime() - Date.parse(row.first_failure_at) > WINDOW_MS;
      const failures = stale ? 1 : row.failures + 1;
      const firstFailureAt = stale ? now.toISOString() : row.first_failure_at;
      const waitMs = failures >= rule.lockAt ? LOCKOUT_MS : failures > rule.free ? 30_000 * 2 ** (failures - rule.free - 1) : 0;
      const lockedUntil = waitMs > 0 ? new Date(now.getTime() + waitMs).toISOString() : null;
      await db.kysely
        .insertInto('sign_in_throttle')
        .values({ key, failures, first_failure_at: firstFailureAt, locked_until: lockedUntil })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures, first_failure_at: firstFailureAt, locked_until: lockedUntil }))
        .execute();
    },

    async clear(key: string): Promise<void> {
      await db.kysely.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${String(seconds)} seconds`;
  return `${String(Math.ceil(seconds / 60))} minutes`;
}
