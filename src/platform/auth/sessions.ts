import { lockAccount } from '../access/users.js';
import type { Db, Executor } from '../db/database.js';
import { nowIso } from '../db/ids.js';
import { reusableQuery } from '../db/reusable-query.js';
import type { SessionView } from '../http/types.js';
import { KEPT_FORM_MS } from './kept-forms.js';
import { hashToken, newSecretToken } from './tokens.js';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/**
 * A timed-out session's row outlives it by this long, refused all the while, so that a form sent on it can still be
 * kept for the person it belonged to (see kept-forms.ts) and the sign-in page can say why they were signed out.
 */
const ENDED_KEPT_MS = KEPT_FORM_MS;
/** Writing last_seen_at on every request would serialise reads behind writes; a minute is precise enough. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Whole seconds from now until a session ends (never below zero): what the staff pages' timeout warning counts from. */
export function secondsUntil(endsAt: number, now: Date): number {
  return Math.max(0, Math.floor((endsAt - now.getTime()) / 1000));
}

/** When a session used at `lastSeen` ends, and whether that is its 12-hour limit (which "stay signed in" cannot move). */
export function sessionEnd(createdAt: string, lastSeen: number): { readonly endsAt: number; readonly endIsFinal: boolean } {
  const idleEnd = lastSeen + IDLE_TIMEOUT_MS;
  const finalEnd = Date.parse(createdAt) + ABSOLUTE_TIMEOUT_MS;
  return { endsAt: Math.min(idleEnd, finalEnd), endIsFinal: finalEnd <= idleEnd };
}

/** Who a session belongs to, read with it: what every professional page needs (access, and the page header). */
export interface SessionHolder {
  readonly id: string;
  readonly organisation_id: string;
  readonly roles: string;
  readonly status: string;
  readonly name_enc: string;
  readonly organisation_name: string;
  /** Switched off by an administrator: the organisation's staff lose access at once. */
  readonly organisation_active: number;
}

export type SessionLookup =
  | { readonly state: 'active'; readonly session: SessionView; readonly holder: SessionHolder }
  | { readonly state: 'expired'; readonly userId: string; readonly sessionId: string; readonly stage: SessionView['stage'] }
  | { readonly state: 'none' };

/** Every session of the account, in a transaction that already holds the account (see lockAccount). */
export async function endSessionsOf(executor: Executor, userId: string): Promise<number> {
  const result = await executor.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions live in the database so every instance shares them; the cookie holds a token, the table its hash. */
export function createSessionStore(db: Db, clock: () => Date = () => new Date()) {
  /** `startedAt`: a session that replaces another keeps its start, so the 12-hour limit still counts from the sign-in. */
  async function createWith(executor: Executor, userId: string, stage: SessionView['stage'], ip: string, startedAt?: string): Promise<string> {
    const token = newSecretToken();
    const now = nowIso(clock);
    await executor
      .insertInto('sessions')
      .values({ id: hashToken(token), user_id: userId, stage, created_at: startedAt ?? now, last_seen_at: now, ip })
      .execute();
    return token;
  }

  const create = (userId: string, stage: SessionView['stage'], ip: string) => createWith(db.kysely, userId, stage, ip);

  const sessionWithHolder = reusableQuery(
    db.kysely,
    db.kysely
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select(['sessions.id', 'sessions.user_id', 'sessions.stage', 'sessions.created_at', 'sessions.last_seen_at'])
      .select(['users.organisation_id', 'users.roles', 'users.status', 'users.name_enc', 'organisations.name as organisation_name', 'organisations.active as organisation_active'])
      .where('sessions.id', '=', 'token hash'),
  );

  /** The idle clock starts again from now (see TOUCH_INTERVAL_MS for why not on every request); returns now. */
  async function touch(sessionId: string): Promise<number> {
    const now = clock();
    await db.kysely.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', sessionId).execute();
    return now.getTime();
  }

  /**
   * Ends one session; whether it was still there to end. A sign-in's next stage ends its session this way, in the
   * transaction that checks its code, under the account's lock, so one ended meanwhile (signed out everywhere) does
   * not go on.
   */
  async function endWith(executor: Executor, sessionId: string): Promise<boolean> {
    const result = await executor.deleteFrom('sessions').where('id', '=', sessionId).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  return {
    create,
    createWith,

    /** "Stay signed in": the idle clock restarts now (the 12-hour limit stands); returns when the session now ends. */
    async keepAlive(session: SessionView): Promise<ReturnType<typeof sessionEnd>> {
      return sessionEnd(session.createdAt, await touch(session.id));
    },

    /** The session and its holder in one read: one round trip per professional request. */
    async lookup(token: string): Promise<SessionLookup> {
      const [row] = await sessionWithHolder(hashToken(token));
      if (!row) return { state: 'none' };
      const now = clock().getTime();
      const idle = now - Date.parse(row.last_seen_at) > IDLE_TIMEOUT_MS;
      const tooOld = now - Date.parse(row.created_at) > ABSOLUTE_TIMEOUT_MS;
      // Left for purgeExpired: another tab's request may still carry this session, with a form to keep.
      if (idle || tooOld) return { state: 'expired', userId: row.user_id, sessionId: row.id, stage: row.stage };
      let lastSeen = Date.parse(row.last_seen_at);
      if (now - lastSeen > TOUCH_INTERVAL_MS) lastSeen = await touch(row.id);
      return {
        state: 'active',
        session: { id: row.id, userId: row.user_id, stage: row.stage, createdAt: row.created_at, ...sessionEnd(row.created_at, lastSeen) },
        holder: { id: row.user_id, organisation_id: row.organisation_id, roles: row.roles, status: row.status, name_enc: row.name_enc, organisation_name: row.organisation_name, organisation_active: row.organisation_active },
      };
    },

    /** A new token for a new privilege level: the old one stops working at once (no session fixation). */
    async rotate(oldSessionId: string | undefined, userId: string, stage: SessionView['stage'], ip: string): Promise<string> {
      if (oldSessionId) await endWith(db.kysely, oldSessionId);
      return create(userId, stage, ip);
    },

    endWith,

    async destroy(sessionId: string): Promise<void> {
      await endWith(db.kysely, sessionId);
    },

    /**
     * Every session of the account, under the account's lock: a sign-in finishing at the same moment (which takes
     * the same lock) either ends first, and its session is among these, or finds its session gone.
     */
    async destroyAllFor(userId: string): Promise<number> {
      return db.kysely.transaction().execute(async (trx) => {
        await lockAccount(trx, db.dialect, userId);
        return endSessionsOf(trx, userId);
      });
    },

    async purgeExpired(): Promise<number> {
      const now = clock().getTime();
      const result = await db.kysely
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([
            eb('last_seen_at', '<', new Date(now - IDLE_TIMEOUT_MS - ENDED_KEPT_MS).toISOString()),
            eb('created_at', '<', new Date(now - ABSOLUTE_TIMEOUT_MS - ENDED_KEPT_MS).toISOString()),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
