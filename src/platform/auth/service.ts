import type { AuditService } from '../audit/service.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import { nowIso } from '../db/ids.js';
import { transactionOr } from '../db/undo.js';
import { accountRefusal, emailIndex, findUserRowByEmail, findUserRowById, lockAccount, normaliseEmail, type UserRow } from '../access/users.js';
import type { Outbox, OutgoingEmail } from '../notify/outbox.js';
import { easyToGuess } from './password-strength.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { replaceRecoveryCodes, spendRecoveryCode } from './recovery-codes.js';
import { endSessionsOf, type SessionStore } from './sessions.js';
import { ACCOUNT_RULE, ADDRESS_RULE, RESET_RULE, type CountedTry, type Throttle, type ThrottleRule } from './throttle.js';
import { matchingTotpStep, newTotpSecret } from './totp.js';
import type { TokenCheck, TokenPurpose, UserTokens } from './user-tokens.js';

const RESET_EMAIL_MARGIN_MS = 10 * 60 * 1000;

/** What a sealed authenticator secret is for: it opens for nothing else (see FieldCrypto.seal). */
const AUTHENTICATOR_SETUP = 'authenticator-setup';

export interface RequestOrigin {
  readonly ip: string;
  readonly requestId: string;
}

export type PasswordOutcome =
  | { readonly kind: 'ok'; readonly token: string; readonly needsAuthenticatorSetUp: boolean }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

/**
 * `token`: the new session, which replaces every session the account had (this one included). `ended`: this session,
 * or the password it was checked against, changed meanwhile (signed out everywhere, reset, disabled): sign in again.
 * `no-password`: the account signs in through single sign-on only.
 */
export type PasswordChangeOutcome =
  | { readonly kind: 'ok'; readonly token: string }
  | { readonly kind: 'ended' }
  | { readonly kind: 'no-password' }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'easy-to-guess'; readonly message: string }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

/** `ended`: the sign-in's session was ended meanwhile (signed out everywhere, a password reset): start again. */
export type SecondFactorOutcome =
  | { readonly kind: 'ok'; readonly token: string }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'replayed' }
  | { readonly kind: 'ended' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

export type RecoveryCodesOutcome =
  | { readonly kind: 'ok'; readonly codes: string[] }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'replayed' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

export interface AuthDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly sessions: SessionStore;
  readonly throttle: Throttle;
  readonly userTokens: UserTokens;
  readonly outbox: Outbox;
  readonly baseUrl: string;
  readonly clock: () => Date;
}

/** A link's token checked, and the account it is for: `unavailable` when that account can no longer be used. */
export type LinkCheck = TokenCheck | { readonly state: 'unavailable' };

/** Sign-in, second factor, invitations and resets: the rules, with no HTTP in them. */
export function createAuthService(deps: AuthDeps) {
  const { db, crypto, audit, sessions, throttle, clock } = deps;
  // By the email's blind index, known or not: counted by user id, only real accounts were ever locked, so the
  // lockout message told anyone which addresses have accounts.
  // Always under the current blind index key (not the stored index, which may be under an older one mid-rotation),
  // so a password failure and a second-factor failure count against the same account.
  const accountKey = (email: string) => `account:${emailIndex(crypto, email)}`;
  const accountKeyOf = (user: { readonly email_enc: string }) => accountKey(crypto.decrypt(user.email_enc));
  const addressKey = (ip: string) => `address:${ip}`;

  async function lockedFor(keys: string[]): Promise<number | null> {
    for (const key of keys) {
      const state = await throttle.state(key);
      if (state.locked) return state.retryAfterSeconds;
    }
    return null;
  }

  /**
   * A try (a password, a code) against each key: refused while a key must wait, otherwise counted before it is
   * checked, so tries sent at once (on one instance or several) cannot all be checked before the first is counted.
   * The caller reports the check: a failure sets the key's wait, a success gives the try back.
   */
  async function beginTry(tries: ReadonlyArray<readonly [string, ThrottleRule]>): Promise<{ readonly wait: number } | { readonly counted: CountedTry[] }> {
    const wait = await lockedFor(tries.map(([key]) => key));
    if (wait !== null) return { wait };
    const counted = await Promise.all(tries.map(([key, rule]) => throttle.count(key, rule)));
    const waits = counted.flatMap(({ state }) => (state.locked ? [state.retryAfterSeconds] : []));
    if (waits.length === 0) return { counted };
    // Refused unchecked (too many at once): not a failure, so given back; the checked ones set any lockout.
    await trySucceeded(counted);
    return { wait: Math.max(...waits) };
  }

  const tryFailed = async (counted: readonly CountedTry[]) => {
    for (const entry of counted) await throttle.failed(entry);
  };
  const trySucceeded = async (counted: readonly CountedTry[]) => {
    for (const entry of counted) await throttle.succeeded(entry);
  };

  async function secondFactorAttempt(
    userId: string,
    previousSessionId: string,
    origin: RequestOrigin,
    check: (user: UserRow, executor: Executor) => Promise<'ok' | 'invalid' | 'replayed'>,
    successAction: 'SIGN_IN_SECOND_FACTOR' | 'SIGN_IN_RECOVERY_CODE',
  ): Promise<SecondFactorOutcome> {
    const user = await findUserRowById(db.kysely, userId);
    const attempt = await beginTry([...(user ? [[accountKeyOf(user), ACCOUNT_RULE] as const] : []), [addressKey(origin.ip), ADDRESS_RULE]]);
    if ('wait' in attempt) {
      await audit.record({ action: 'SIGN_IN_LOCKED', outcome: 'denied', actorUserId: userId, ...originOf(origin) });
      return { kind: 'locked', retryAfterSeconds: attempt.wait };
    }
    const failed = async (reason: 'invalid' | 'replayed') => {
      await tryFailed(attempt.counted);
      await audit.record({ action: 'SIGN_IN_SECOND_FACTOR_FAILED', outcome: 'failure', actorUserId: userId, details: { reason }, ...originOf(origin) });
      return { kind: reason };
    };
    if (!user || (await accountRefusal(db.kysely, user)) !== null) return failed('invalid');
    // The code is used, and the sign-in's session ended, in one transaction: a sign-in whose session was ended
    // meanwhile (signed out everywhere) does not finish, and does not use up a recovery code on the way.
    const result = await transactionOr(db.kysely, async (trx, undo: (answer: 'ended') => never) => {
      await lockAccount(trx, db.dialect, userId);
      const checked = await check(user, trx);
      if (checked !== 'ok') return checked;
      if (!(await sessions.endWith(trx, previousSessionId))) undo('ended');
      return { token: await sessions.createWith(trx, userId, 'complete', origin.ip) };
    });
    if (result === 'ended') {
      await trySucceeded(attempt.counted);
      await audit.record({ action: 'SIGN_IN_SECOND_FACTOR_FAILED', outcome: 'failure', actorUserId: userId, details: { reason: 'session-ended' }, ...originOf(origin) });
      return { kind: 'ended' };
    }
    if (typeof result === 'string') return failed(result);
    const { token } = result;
    // A whole sign-in clears its account's count. The address's count only forgets with time (its 15-minute window):
    // someone with an account of their own must not be able to wipe their address's guesses at other accounts.
    await trySucceeded(attempt.counted);
    await throttle.clear(accountKeyOf(user));
    await audit.record({ action: successAction, actorUserId: userId, actorOrganisationId: user.organisation_id, ...originOf(origin) });
    return { kind: 'ok', token };
  }

  async function checkAuthenticatorCode(user: UserRow, code: string, executor: Executor = db.kysely): Promise<'ok' | 'invalid' | 'replayed'> {
    if (!user.totp_secret_enc) return 'invalid';
    const step = matchingTotpStep(crypto.decrypt(user.totp_secret_enc), code, clock());
    if (step === null) return 'invalid';
    // Record the step only if it is newer than the last one used: a replayed code loses this race.
    const updated = await executor
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n ? 'ok' : 'replayed';
  }

  /** Whether a link can still be used: its token, and the account it is for (not disabled, its organisation on). */
  async function checkLink(token: string, purpose: TokenPurpose): Promise<LinkCheck> {
    const checked = await deps.userTokens.check(token, purpose);
    if (checked.state !== 'valid') return checked;
    const holder = await findUserRowById(db.kysely, checked.userId);
    if (!holder) return { state: 'unknown' };
    return (await accountRefusal(db.kysely, holder, true)) === null ? checked : { state: 'unavailable' };
  }

  return {
    async signInWithPassword(email: string, password: string, previousSessionId: string | undefined, origin: RequestOrigin): Promise<PasswordOutcome> {
      const user = await findUserRowByEmail(db.kysely, crypto, email);
      const attempt = await beginTry([[addressKey(origin.ip), ADDRESS_RULE], [accountKey(email), ACCOUNT_RULE]]);
      if ('wait' in attempt) {
        await audit.record({ action: 'SIGN_IN_LOCKED', outcome: 'denied', actorUserId: user?.id, ...originOf(origin) });
        return { kind: 'locked', retryAfterSeconds: attempt.wait };
      }
      const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
      const refusal = user ? await accountRefusal(db.kysely, user) : null;
      if (!user || !passwordOk || refusal !== null) {
        await tryFailed(attempt.counted);
        await audit.record({
          action: 'SIGN_IN_FAILED',
          outcome: 'failure',
          actorUserId: user?.id,
          details: { reason: !user ? 'unknown-email' : (refusal ?? 'wrong-password') },
          ...originOf(origin),
        });
        return { kind: 'invalid' };
      }
      // A right password is not a failure, though the counts stay until the whole sign-in (the code too) clears them.
      await trySucceeded(attempt.counted);
      // The session is made only while the password checked is still the account's, under the account's lock: a
      // reset committing meanwhile either comes first (this password is then not right) or ends this session after.
      const token = await transactionOr(db.kysely, async (trx, undo: (answer: undefined) => never) => {
        await lockAccount(trx, db.dialect, user.id);
        if ((await findUserRowById(trx, user.id))?.password_hash !== user.password_hash) undo(undefined);
        if (previousSessionId) await sessions.endWith(trx, previousSessionId);
        return sessions.createWith(trx, user.id, 'password', origin.ip);
      });
      if (token === undefined) {
        await audit.record({ action: 'SIGN_IN_FAILED', outcome: 'failure', actorUserId: user.id, details: { reason: 'password-changed' }, ...originOf(origin) });
        return { kind: 'invalid' };
      }
      await audit.record({ action: 'SIGN_IN_PASSWORD', actorUserId: user.id, actorOrganisationId: user.organisation_id, ...originOf(origin) });
      return { kind: 'ok', token, needsAuthenticatorSetUp: user.totp_secret_enc === null };
    },

    verifyAuthenticatorCode(userId: string, sessionId: string, code: string, origin: RequestOrigin): Promise<SecondFactorOutcome> {
      return secondFactorAttempt(
        userId,
        sessionId,
        origin,
        (user, executor) => checkAuthenticatorCode(user, code, executor),
        'SIGN_IN_SECOND_FACTOR',
      );
    },

    useRecoveryCode(userId: string, sessionId: string, code: string, origin: RequestOrigin): Promise<SecondFactorOutcome> {
      return secondFactorAttempt(
        userId,
        sessionId,
        origin,
        async (user, executor) => ((await spendRecoveryCode(executor, crypto, user.id, code, clock)) ? 'ok' : 'invalid'),
        'SIGN_IN_RECOVERY_CODE',
      );
    },

    /** A new secret, sealed so the browser can carry it between the two set-up pages without being able to alter it. */
    newAuthenticatorSecret(): { secret: string; sealed: string } {
      const secret = newTotpSecret();
      return { secret, sealed: crypto.seal(AUTHENTICATOR_SETUP, secret) };
    },

    /** The secret being set up, again, after a code that was not right: the app already holds it, so it stays. */
    authenticatorSecretBeingSetUp(sealed: string): { secret: string; sealed: string } | undefined {
      const secret = crypto.unseal(AUTHENTICATOR_SETUP, sealed);
      return secret ? { secret, sealed } : undefined;
    },

    async confirmAuthenticator(
      userId: string,
      sessionId: string,
      sealed: string,
      code: string,
      origin: RequestOrigin,
    ): Promise<{ kind: 'ok'; token: string; recoveryCodes: string[] } | { kind: 'invalid' } | { kind: 'ended' }> {
      const secret = crypto.unseal(AUTHENTICATOR_SETUP, sealed);
      const step = secret ? matchingTotpStep(secret, code, clock()) : null;
      if (!secret || step === null) return { kind: 'invalid' };
      const user = await findUserRowById(db.kysely, userId);
      if (!user || user.totp_secret_enc) return { kind: 'invalid' };
      const setUp = await transactionOr(db.kysely, async (trx, undo: (answer: { kind: 'ended' }) => never) => {
        await lockAccount(trx, db.dialect, userId);
        // Only over no authenticator at all (another tab may have set one up meanwhile), and as one more version of
        // the row, whatever else an administrator changed in it meanwhile.
        const saved = await trx
          .updateTable('users')
          .set({ totp_secret_enc: crypto.encrypt(secret), totp_last_step: step, updated_at: nowIso(clock), version: sql<number>`version + 1` })
          .where('id', '=', userId)
          .where('totp_secret_enc', 'is', null)
          .executeTakeFirst();
        if (saved.numUpdatedRows !== 1n) return { kind: 'invalid' as const };
        if (!(await sessions.endWith(trx, sessionId))) undo({ kind: 'ended' });
        const recoveryCodes = await replaceRecoveryCodes(trx, crypto, userId);
        const token = await sessions.createWith(trx, userId, 'complete', origin.ip);
        // Last: appending holds the audit chain until this transaction commits.
        await audit.recordWith(trx, { action: 'SECOND_FACTOR_SET_UP', actorUserId: userId, actorOrganisationId: user.organisation_id, ...originOf(origin) });
        return { kind: 'ok' as const, recoveryCodes, token };
      });
      if (setUp.kind === 'ended') await audit.record({ action: 'SECOND_FACTOR_SET_UP', outcome: 'failure', actorUserId: userId, details: { reason: 'session-ended' }, ...originOf(origin) });
      return setUp;
    },

    /**
     * New recovery codes replace a second factor, so the person confirms with a code from their authenticator app
     * first: a session left open on a shared computer cannot be used to take the account over. Wrong codes count
     * towards the account's lockout, as at sign-in.
     */
    async regenerateRecoveryCodes(userId: string, code: string, origin: RequestOrigin): Promise<RecoveryCodesOutcome> {
      const user = await findUserRowById(db.kysely, userId);
      if (!user) return { kind: 'invalid' };
      const attempt = await beginTry([[accountKeyOf(user), ACCOUNT_RULE]]);
      if ('wait' in attempt) {
        await audit.record({ action: 'RECOVERY_CODES_REGENERATED', outcome: 'denied', actorUserId: userId, details: { reason: 'locked' }, ...originOf(origin) });
        return { kind: 'locked', retryAfterSeconds: attempt.wait };
      }
      const checked = await checkAuthenticatorCode(user, code);
      if (checked !== 'ok') {
        await tryFailed(attempt.counted);
        await audit.record({ action: 'RECOVERY_CODES_REGENERATED', outcome: 'failure', actorUserId: userId, details: { reason: checked }, ...originOf(origin) });
        return { kind: checked };
      }
      await trySucceeded(attempt.counted);
      const codes = await db.kysely.transaction().execute(async (trx) => {
        await lockAccount(trx, db.dialect, userId);
        const fresh = await replaceRecoveryCodes(trx, crypto, userId);
        // Last: appending holds the audit chain until this transaction commits.
        await audit.recordWith(trx, { action: 'RECOVERY_CODES_REGENERATED', actorUserId: userId, ...originOf(origin) });
        return fresh;
      });
      return { kind: 'ok', codes };
    },

    async signOut(sessionId: string, userId: string, origin: RequestOrigin): Promise<void> {
      await sessions.destroy(sessionId);
      await audit.record({ action: 'SIGN_OUT', actorUserId: userId, ...originOf(origin) });
    },

    async signOutEverywhere(userId: string, origin: RequestOrigin): Promise<number> {
      const ended = await sessions.destroyAllFor(userId);
      await audit.record({ action: 'SIGN_OUT_EVERYWHERE', actorUserId: userId, details: { sessionsEnded: ended }, ...originOf(origin) });
      return ended;
    },

    /**
     * Always looks the same from outside, whether or not the email belongs to an account, and does the same work
     * either way (a count and an audited write), so the answer's timing does not tell either. At most a few links
     * go to one address in a while: asking again and again cannot flood a mailbox.
     */
    async requestPasswordReset(email: string, origin: RequestOrigin): Promise<void> {
      const user = await findUserRowByEmail(db.kysely, crypto, email);
      const key = `reset:${emailIndex(crypto, email)}`;
      const waiting = (await throttle.state(key)).locked;
      // Counted in one statement before anything is sent, so requests made at once cannot all slip under the limit.
      const counted = await throttle.count(key, RESET_RULE);
      await throttle.failed(counted);
      const tooMany = waiting || counted.state.locked;
      const usable = user !== undefined && (await accountRefusal(db.kysely, user)) === null;
      const send = usable && !tooMany;
      await db.kysely.transaction().execute(async (trx) => {
        if (send) {
          const { id, token, expiresAt } = await deps.userTokens.issueWith(trx, user.id, 'password_reset');
          await deps.outbox.enqueueWith(trx, {
            to: normaliseEmail(email),
            linkTokenId: id,
            // Arriving with minutes left of its hour, a link fails while it is being used: better not sent, and asked for again.
            sendBefore: new Date(Date.parse(expiresAt) - RESET_EMAIL_MARGIN_MS).toISOString(),
            subject: 'Reset your password',
            body: `Someone asked to reset the password for your Domestic Abuse Partnership Platform account.\n\nTo choose a new password, open this link within 1 hour:\n${deps.baseUrl}/app/password-reset/${token}\n\nIf this was not you, you can ignore this email; your password has not changed.`,
          });
        }
        const reason = send ? undefined : !usable ? 'no-active-account' : 'too-many-requests';
        await audit.recordWith(trx, {
          action: 'PASSWORD_RESET_REQUESTED',
          ...(reason ? { outcome: 'denied' as const, details: { reason } } : {}),
          actorUserId: user?.id,
          recordType: 'user',
          recordId: user?.id,
          ...originOf(origin),
        });
      });
    },

    checkLink,

    /** Sets a password from an invitation or reset link; the link is spent, and a reset ends every session. */
    async setPasswordFromLink(
      token: string,
      purpose: TokenPurpose,
      password: string,
      origin: RequestOrigin,
    ): Promise<{ kind: 'ok'; userId: string } | { kind: Exclude<LinkCheck['state'], 'valid'> } | { kind: 'easy-to-guess'; message: string }> {
      // Checked before the link is spent: a link to an account that cannot be used is not used up by trying it.
      const checked = await checkLink(token, purpose);
      if (checked.state !== 'valid') return { kind: checked.state };
      const owner = await findUserRowById(db.kysely, checked.userId);
      const weakness = await easyToGuess(password, owner ? [crypto.decrypt(owner.name_enc), crypto.decrypt(owner.email_enc)] : []);
      if (weakness) return { kind: 'easy-to-guess', message: weakness };
      const passwordHash = await hashPassword(password);
      // An invitation sets the first password of an account not yet in use, a reset the password of one in use.
      const settable = purpose === 'invitation' ? 'invited' : 'active';
      const spent = await transactionOr(db.kysely, async (trx, undo: (answer: 'used') => never) => {
        // Under the account's lock: a double-clicked form's second request finds the password set (and the link
        // used), not an account that "cannot be used".
        await lockAccount(trx, db.dialect, checked.userId);
        const user = await findUserRowById(trx, checked.userId);
        if (!user || (await accountRefusal(trx, user, true)) !== null) return 'unavailable' as const;
        // An invitation to an account already set up (accepted with another link) has done its work.
        if (user.status !== settable) return purpose === 'invitation' && user.status === 'active' ? ('used' as const) : ('unavailable' as const);
        // Only while the account is as it was read: an administrator's "disable" made meanwhile stands, and the
        // link is not used up by the try.
        const saved = await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, status: 'active', updated_at: nowIso(clock), version: sql<number>`version + 1` })
          .where('id', '=', user.id)
          .where('status', '=', settable)
          .executeTakeFirst();
        if (saved.numUpdatedRows !== 1n) return 'unavailable' as const;
        if (!(await deps.userTokens.consumeWith(trx, checked.tokenId))) undo('used');
        // The password is chosen: any other link to choose it (a second reset email, an earlier invitation) stops working,
        // and a reset ends every session made with the old one, in the same transaction.
        await deps.userTokens.expireUnusedWith(trx, user.id);
        if (purpose === 'password_reset') {
          await endSessionsOf(trx, user.id);
          await deps.outbox.enqueueWith(trx, passwordChangedEmail(deps.baseUrl, crypto.decrypt(user.email_enc), 'reset'));
        }
        await audit.recordWith(trx, {
          action: purpose === 'invitation' ? 'INVITATION_ACCEPTED' : 'PASSWORD_RESET',
          actorUserId: user.id,
          actorOrganisationId: user.organisation_id,
          recordType: 'user',
          recordId: user.id,
          ...originOf(origin),
        });
        return user;
      });
      if (typeof spent === 'string') return { kind: spent };
      await throttle.clear(accountKeyOf(spent));
      return { kind: 'ok', userId: checked.userId };
    },

    /**
     * A signed-in person's new password. The current one is asked for (a session left open on a shared computer is
     * not enough) and a wrong one counts towards the account's lockout like a failed sign-in. Every session ends,
     * and unused reset links stop working; the person carries on in a new session (which keeps the old one's start,
     * so the 12-hour limit stands), and is emailed that it happened.
     */
    async changePassword(session: { readonly id: string; readonly userId: string; readonly createdAt: string }, current: string, next: string, origin: RequestOrigin): Promise<PasswordChangeOutcome> {
      const user = await findUserRowById(db.kysely, session.userId);
      // Single sign-on only: there is no password here to check, and trying must not count towards a lockout.
      if (!user?.password_hash) return { kind: 'no-password' };
      const refused = (details: Record<string, string>, outcome: 'failure' | 'denied') =>
        audit.record({ action: 'PASSWORD_CHANGE_FAILED', outcome, actorUserId: user.id, actorOrganisationId: user.organisation_id, recordType: 'user', recordId: user.id, details, ...originOf(origin) });
      const attempt = await beginTry([[accountKeyOf(user), ACCOUNT_RULE], [addressKey(origin.ip), ADDRESS_RULE]]);
      if ('wait' in attempt) {
        await refused({ reason: 'locked' }, 'denied');
        return { kind: 'locked', retryAfterSeconds: attempt.wait };
      }
      if (!(await verifyPassword(user.password_hash, current))) {
        await tryFailed(attempt.counted);
        await refused({ reason: 'wrong-password' }, 'failure');
        return { kind: 'wrong-password' };
      }
      await trySucceeded(attempt.counted);
      if (next === current) return { kind: 'unchanged' };
      const email = crypto.decrypt(user.email_enc);
      const weakness = await easyToGuess(next, [crypto.decrypt(user.name_enc), email]);
      if (weakness) return { kind: 'easy-to-guess', message: weakness };
      const passwordHash = await hashPassword(next);
      const changed = await transactionOr(db.kysely, async (trx, undo: (answer: 'ended') => never) => {
        // Under the account's lock, and only as it was checked: a reset, a disable or a sign-out everywhere made while
        // the new password was being hashed stands, and this change does not undo it.
        await lockAccount(trx, db.dialect, user.id);
        const now = await findUserRowById(trx, user.id);
        if (!now || now.password_hash !== user.password_hash || (await accountRefusal(trx, now)) !== null) undo('ended');
        if (!(await sessions.endWith(trx, session.id))) undo('ended');
        await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: nowIso(clock), version: sql<number>`version + 1` }).where('id', '=', user.id).execute();
        await deps.userTokens.expireUnusedWith(trx, user.id);
        await endSessionsOf(trx, user.id);
        await deps.outbox.enqueueWith(trx, passwordChangedEmail(deps.baseUrl, email, 'changed'));
        const token = await sessions.createWith(trx, user.id, 'complete', origin.ip, session.createdAt);
        await audit.recordWith(trx, { action: 'PASSWORD_CHANGED', actorUserId: user.id, actorOrganisationId: user.organisation_id, recordType: 'user', recordId: user.id, ...originOf(origin) });
        return { kind: 'ok' as const, token };
      });
      return changed === 'ended' ? { kind: 'ended' } : changed;
    },

    startSessionAfterLink(userId: string, origin: RequestOrigin): Promise<string> {
      return sessions.create(userId, 'password', origin.ip);
    },
  };
}

/**
 * Told after the password changes, however it was changed: if it was not them, someone has their password (or their
 * email), and the email says what to do. It carries no link that signs anyone in.
 */
function passwordChangedEmail(baseUrl: string, to: string, how: 'changed' | 'reset'): OutgoingEmail {
  const what = how === 'changed' ? 'was changed while signed in' : 'was reset with a link sent to this address';
  return {
    to: normaliseEmail(to),
    subject: 'Your password was changed',
    body: `The password for your Domestic Abuse Partnership Platform account ${what}. You have been signed out on every other device.\n\nIf this was you, there is nothing more to do.\n\nIf it was not you, reset your password now and tell your organisation administrator at once:\n${baseUrl}/app/password-reset`,
  };
}

export function originOf(origin: RequestOrigin) {
  return { ip: origin.ip, requestId: origin.requestId };
}

export type AuthService = ReturnType<typeof createAuthService>;
