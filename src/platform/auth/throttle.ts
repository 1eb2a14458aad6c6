import { sql } from 'kysely';
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

/** How long a key must wait after its `failures`th failure: doubling from 30 seconds, never longer than the lockout. */
function waitAfter(failures: number, rule: ThrottleRule): number {
  if (failures >= rule.lockAt) return LOCKOUT_MS;
  return failures > rule.free ? Math.min(LOCKOUT_MS, 30_000 * 2 ** (failures - rule.free - 1)) : 0;
}

/** A try counted before it is checked: how many the key has had in the window, and whether this one may go ahead. */
export interface CountedTry {
  readonly key: string;
  readonly rule: ThrottleRule;
  readonly tries: number;
  readonly state: ThrottleState;
}

/**
 * Back-off then lockout, per account and per address, kept in the database so every instance agrees.
 * After `free` failures each further one makes the next try wait longer (30s, 60s, 120s..., at most 15 minutes); at
 * `lockAt` the key is locked for 15 minutes. A try is counted, in one statement, before it is checked, so tries sent
 * at once on several instances cannot all be checked before any is counted; one that succeeds is given back.
 */
export function createThrottle(db: Db, clock: () => Date = () => new Date()) {
  async function state(key: string): Promise<ThrottleState> {
    const row = await db.kysely.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row?.locked_until) return { locked: false };
    const remaining = Date.parse(row.locked_until) - clock().getTime();
    return remaining > 0 ? { locked: true, retryAfterSeconds: Math.ceil(remaining / 1000) } : { locked: false };
  }

  /** Counts a try; refused (without its check) once more than `lockAt` have been counted in the window. */
  async function count(key: string, rule: ThrottleRule): Promise<CountedTry> {
    const now = clock();
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
    const { failures } = await db.kysely
      .insertInto('sign_in_throttle')
      .values({ key, failures: 1, first_failure_at: at, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when sign_in_throttle.first_failure_at < ${windowStart} then 1 else sign_in_throttle.failures + 1 end`,
          first_failure_at: sql<string>`case when sign_in_throttle.first_failure_at < ${windowStart} then ${at} else sign_in_throttle.first_failure_at end`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return { key, rule, tries: failures, state: failures > rule.lockAt ? { locked: true, retryAfterSeconds: LOCKOUT_MS / 1000 } : { locked: false } };
  }

  /** The counted try failed its check: the key waits as its count says (never less than it already does). */
  async function failed({ key, rule, tries }: CountedTry): Promise<void> {
    const waitMs = waitAfter(tries, rule);
    if (waitMs === 0) return;
    const until = new Date(clock().getTime() + waitMs).toISOString();
    await db.kysely
      .updateTable('sign_in_throttle')
      .set({ locked_until: until })
      .where('key', '=', key)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', until)]))
      .execute();
  }

  return {
    state,
    count,
    failed,

    /** The counted try passed its check: it is not a failure, so it is given back. */
    async succeeded({ key }: CountedTry): Promise<void> {
      await db.kysely.updateTable('sign_in_throttle').set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` }).where('key', '=', key).execute();
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
