import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, DIALECT, type TestPlatform } from '../../../test/support/platform.js';
import { persona, Visitor } from '../../../test/support/visitor.js';
import { openDatabase } from '../db/database.js';
import { DEMO_PASSWORD, demoRecoveryCodes } from '../seed/demo-users.js';
import { hashPassword } from './passwords.js';
import { remainingRecoveryCodes } from './recovery-codes.js';
import { createAuthService } from './service.js';
import { hashToken } from './tokens.js';
import { currentTotpCode } from './totp.js';

/** Requests that meet in time: the same account, two devices or two instances, one moment. */
describe('sign-in and link requests made at the same moment', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const origin = { ip: '198.51.100.40', requestId: 'test' };
  const userIdOf = async (email: string) => (await platform.services.users.findByEmail(email))?.id ?? '';
  const stateOf = (userId: string) => platform.services.db.kysely.selectFrom('users').select(['status', 'version']).where('id', '=', userId).executeTakeFirstOrThrow();
  const unusedLinks = (userId: string) => platform.services.db.kysely.selectFrom('user_tokens').select('id').where('user_id', '=', userId).where('used_at', 'is', null).where('expires_at', '>', new Date().toISOString()).execute();

  it('does not finish a sign-in whose session was ended (signed out everywhere) before its code was checked', async () => {
    const { auth, sessions, db } = platform.services;
    const userId = await userIdOf('officer@demo.invalid');
    const started = await auth.signInWithPassword('officer@demo.invalid', DEMO_PASSWORD, undefined, origin);
    if (started.kind !== 'ok') throw new Error(`password step: ${started.kind}`);
    await sessions.destroyAllFor(userId);

    const finished = await auth.verifyAuthenticatorCode(userId, hashToken(started.token), currentTotpCode(persona('officer@demo.invalid').totpSecret, new Date()), origin);
    expect(finished.kind).toBe('ended');
    expect(await db.kysely.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toEqual([]);
    const signInPage = await new Visitor(platform.app).get('/app/sign-in?ended=elsewhere');
    expect(signInPage.body).toContain('Your sign-in was stopped before it finished');
  });

  it('keeps a recovery code unused when the sign-in it was typed into had been ended meanwhile', async () => {
    const { auth, sessions, db } = platform.services;
    const userId = await userIdOf('marac@demo.invalid');
    const started = await auth.signInWithPassword('marac@demo.invalid', DEMO_PASSWORD, undefined, origin);
    if (started.kind !== 'ok') throw new Error(`password step: ${started.kind}`);
    const codesLeft = await remainingRecoveryCodes(db.kysely, userId);
    await sessions.destroyAllFor(userId);

    const code = demoRecoveryCodes({ email: 'marac@demo.invalid' })[3] ?? '';
    expect((await auth.useRecoveryCode(userId, hashToken(started.token), code, origin)).kind).toBe('ended');
    expect(await remainingRecoveryCodes(db.kysely, userId)).toBe(codesLeft);
  });

  it('does not let an invitation link set the password of an account already in use', async () => {
    const { auth, db, userTokens } = platform.services;
    const userId = await userIdOf('practitioner@demo.invalid');
    const before = (await db.kysely.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash;
    const invitation = await db.kysely.transaction().execute((trx) => userTokens.issueWith(trx, userId, 'invitation'));

    expect((await auth.setPasswordFromLink(invitation.token, 'invitation', 'another synthetic passphrase', origin)).kind).toBe('used');
    expect((await db.kysely.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash).toBe(before);
  });

  it('makes no session for a password that was changed (a reset) after it was checked', async () => {
    const { db, throttle } = platform.services;
    const userId = await userIdOf('orgadmin@demo.invalid');
    const newHash = await hashPassword('a password chosen by reset (synthetic)');
    // The reset commits just after this sign-in found its password right.
    const resetAfterCheck = {
      ...throttle,
      succeeded: async (entry: Parameters<typeof throttle.succeeded>[0]) => {
        await throttle.succeeded(entry);
        await db.kysely.updateTable('users').set({ password_hash: newHash }).where('id', '=', userId).execute();
      },
    };
    const auth = createAuthService({ ...platform.services, throttle: resetAfterCheck, baseUrl: platform.config.baseUrl });

    expect((await auth.signInWithPassword('orgadmin@demo.invalid', DEMO_PASSWORD, undefined, origin)).kind).toBe('invalid');
    expect(await db.kysely.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toEqual([]);
  });

  it('gives back the tries it refused when one person signs in several times at once', async () => {
    const tries = Array.from({ length: 8 }, (_, index) => new Visitor(platform.app, `198.51.100.${String(50 + index)}`));
    for (const visitor of tries) await visitor.get('/app/sign-in');
    const answers = await Promise.all(tries.map((visitor) => visitor.post('/app/sign-in', { email: 'auditor@demo.invalid', password: DEMO_PASSWORD })));
    expect(answers.filter((answer) => answer.statusCode === 303).length).toBeGreaterThan(0);
    // Nothing was wrong, so nothing counts against the account: its next typo starts no wait.
    const counts = await platform.services.db.kysely.selectFrom('sign_in_throttle').select('failures').where('key', 'like', 'account:%').execute();
    expect(counts.map((row) => row.failures).filter((failures) => failures > 0)).toEqual([]);
  });

  it('sends at most three reset links when eight are asked for at once, and only the last one sent works', async () => {
    const userId = await userIdOf('editor@demo.invalid');
    const askers = Array.from({ length: 8 }, (_, index) => new Visitor(platform.app, `198.51.100.${String(70 + index)}`));
    for (const asker of askers) await asker.get('/app/password-reset');
    await Promise.all(askers.map((asker) => asker.post('/app/password-reset', { email: 'editor@demo.invalid' })));
    const sent = await platform.services.db.kysely.selectFrom('outbox_messages').select('id').where('subject', '=', 'Reset your password').execute();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(await unusedLinks(userId)).toHaveLength(1);
  });

  it('stops every other link of an account once a password has been chosen with one of them', async () => {
    const { userTokens, auth, db } = platform.services;
    const userId = await userIdOf('admin@demo.invalid');
    // Two links in hand at once (an invitation never used, and a reset asked for since).
    await db.kysely.transaction().execute((trx) => userTokens.issueWith(trx, userId, 'invitation'));
    const reset = await db.kysely.transaction().execute((trx) => userTokens.issueWith(trx, userId, 'password_reset'));
    expect(await unusedLinks(userId)).toHaveLength(2);

    expect((await auth.setPasswordFromLink(reset.token, 'password_reset', 'another synthetic passphrase', origin)).kind).toBe('ok');
    expect(await unusedLinks(userId)).toEqual([]);
  });

  it.runIf(DIALECT === 'postgres')('keeps an administrator’s "disable" that commits while a reset waits for the account (PostgreSQL only: SQLite runs one write at a time)', async () => {
    const { db, userTokens, auth } = platform.services;
    const userId = await userIdOf('service@demo.invalid');
    const link = await db.kysely.transaction().execute((trx) => userTokens.issueWith(trx, userId, 'password_reset'));
    const administrator = openDatabase({ databaseUrl: platform.config.DATABASE_URL, sqliteFile: '' });
    let commitDisable: () => void = () => undefined;
    const disableMayCommit = new Promise<void>((resolve) => {
      commitDisable = resolve;
    });
    try {
      let disableWritten: () => void = () => undefined;
      const written = new Promise<void>((resolve) => {
        disableWritten = resolve;
      });
      const disabling = administrator.kysely.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ status: 'disabled', version: sql<number>`version + 1` }).where('id', '=', userId).execute();
        disableWritten();
        await disableMayCommit;
      });
      // The disable holds the account's row before the reset starts: otherwise the reset could finish first, wait for nothing, and prove nothing.
      await written;
      const resetting = auth.setPasswordFromLink(link.token, 'password_reset', 'another synthetic passphrase', origin);
      // The reset has read the account (still active to it) and now waits for the disable's lock on the row.
      await expect
        .poll(async () => {
          const { rows } = await sql<{ waiting: string }>`select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db.kysely);
          return Number(rows[0]?.waiting ?? 0);
        }, { timeout: 10_000 })
        .toBeGreaterThan(0);
      commitDisable();
      await disabling;

      expect((await resetting).kind).toBe('unavailable');
      expect((await stateOf(userId)).status).toBe('disabled');
    } finally {
      // Never left waiting, whatever failed above: the administrator's connection is only released once it commits.
      commitDisable();
      await administrator.destroy();
    }
  });
});
