import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { persona, signIn, Visitor } from '../../../test/support/visitor.js';
import { DEMO_PASSWORD, demoRecoveryCodes } from '../seed/demo-users.js';
import { spendRecoveryCode } from './recovery-codes.js';
import { currentTotpCode } from './totp.js';
import { hashToken } from './tokens.js';

describe('your account: new recovery codes', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const recoveryCodesOf = (userId: string) => platform.services.db.kysely.selectFrom('recovery_codes').select('code_index').where('user_id', '=', userId).execute();
  /** The code the authenticator shows at the next 30-second step: the current one was spent signing in. */
  const nextCode = (email: string) => currentTotpCode(persona(email).totpSecret, new Date(Date.now() + 30_000));

  it('asks for a code from the authenticator app first, explains a missing or wrong one, and changes nothing until it is right', async () => {
    const visitor = await signIn(platform, 'editor@demo.invalid');
    const user = await platform.services.users.findByEmail('editor@demo.invalid');
    const before = await recoveryCodesOf(user?.id ?? '');
    const page = await visitor.get('/app/account');
    expect(page.body).toMatch(/<input[^>]*name="code"[^>]*autocomplete="one-time-code"/);
    // The demo accounts come with their codes (`demo-code` prints them), so no warning yet.
    expect(before).toHaveLength(10);
    expect(page.body).not.toContain('recovery codes left. Make new codes');
    expect(page.body).not.toContain('You have no recovery codes');

    const missing = await visitor.post('/app/account/recovery-codes', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('There is a problem');
    expect(missing.body).toContain('href="#code">Enter the 6-digit code from your authenticator app');
    await visitor.get('/app/account');
    const wrong = await visitor.post('/app/account/recovery-codes', { code: '000000' === nextCode('editor@demo.invalid') ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The code is not right');
    expect(await recoveryCodesOf(user?.id ?? '')).toEqual(before);

    await visitor.get('/app/account');
    const made = await visitor.post('/app/account/recovery-codes', { code: nextCode('editor@demo.invalid') });
    expect(made.statusCode).toBe(200);
    const codes = made.body.match(/\b[A-Z2-9]{5}-[A-Z2-9]{5}\b/g) ?? [];
    expect(codes.length).toBeGreaterThanOrEqual(8);
    expect(await recoveryCodesOf(user?.id ?? '')).not.toEqual(before);
    expect((await visitor.get('/app/account')).body).not.toContain('You have no recovery codes');
    const events = await platform.services.db.kysely.selectFrom('audit_events').select('outcome').where('action', '=', 'RECOVERY_CODES_REGENERATED').where('actor_user_id', '=', user?.id ?? '').orderBy('seq').execute();
    expect(events.map((event) => event.outcome)).toEqual(['failure', 'success']);
  });

  it('warns when few or no recovery codes are left, and a demo account’s printed codes work once each', async () => {
    const email = 'auditor@demo.invalid';
    const user = await platform.services.users.findByEmail(email);
    const userId = user?.id ?? '';
    const codes = demoRecoveryCodes({ email });
    const spend = (code: string) => spendRecoveryCode(platform.services.db.kysely, platform.services.crypto, userId, code, platform.services.clock);
    for (const code of codes.slice(0, 8)) expect(await spend(code)).toBe(true);
    expect(await spend(codes[0] ?? '')).toBe(false);
    const visitor = await signIn(platform, email);
    expect((await visitor.get('/app/account')).body).toContain('You have only 2 recovery codes left.');
    for (const code of codes.slice(8)) expect(await spend(code)).toBe(true);
    expect((await visitor.get('/app/account')).body).toContain('You have no recovery codes.');
  });
});

describe('your account: changing your password', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const email = 'officer@demo.invalid';
  const passwordHash = async () => {
    const user = await platform.services.users.findByEmail(email);
    return (await platform.services.db.kysely.selectFrom('users').select('password_hash').where('id', '=', user?.id ?? '').executeTakeFirstOrThrow()).password_hash;
  };
  const sessionOf = (visitor: Visitor) => visitor.cookie(platform.services.sessionCookie.name);
  const errorsOf = (body: string) => body.slice(body.indexOf('govuk-error-summary'), body.indexOf('</ul>', body.indexOf('govuk-error-summary')));

  it('asks for the current password, explains each problem, and changes nothing until all is right', async () => {
    const visitor = await signIn(platform, email);
    expect((await visitor.get('/app/account')).body).toContain('href="/app/account/password">Change your password</a>');
    const page = await visitor.get('/app/account/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<input[^>]*name="currentPassword"[^>]*type="password"[^>]*autocomplete="current-password"/);
    const before = await passwordHash();

    const attempts: Array<[Record<string, string>, string]> = [
      [{ currentPassword: '', password: '', confirmPassword: '' }, 'href="#currentPassword">Enter your current password'],
      [{ currentPassword: 'not the password at all', password: 'copper kettle lantern harbour', confirmPassword: 'copper kettle lantern harbour' }, 'href="#currentPassword">Your current password is not right'],
      [{ currentPassword: DEMO_PASSWORD, password: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }, 'href="#password">Your new password must be different from your current password'],
      [{ currentPassword: DEMO_PASSWORD, password: 'password1234', confirmPassword: 'password1234' }, 'href="#password">'],
      [{ currentPassword: DEMO_PASSWORD, password: 'copper kettle lantern harbour', confirmPassword: 'copper kettle lantern harbor' }, 'href="#confirmPassword">The passwords do not match'],
      [{ currentPassword: DEMO_PASSWORD, password: 'short', confirmPassword: 'short' }, 'href="#password">New password must be 12 characters or more'],
    ];
    for (const [form, error] of attempts) {
      await visitor.get('/app/account/password');
      const refused = await visitor.post('/app/account/password', form);
      expect(refused.statusCode, error).toBe(400);
      expect(errorsOf(refused.body), error).toContain(error);
    }
    expect(await passwordHash()).toBe(before);
    const failed = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('action', '=', 'PASSWORD_CHANGE_FAILED').execute();
    expect(failed).toHaveLength(1);
  });

  it('has no password to change for an account that signs in through single sign-on, and counts no tries against it', async () => {
    const user = await platform.services.users.findByEmail('auditor@demo.invalid');
    const visitor = await signIn(platform, 'auditor@demo.invalid');
    await platform.services.db.kysely.updateTable('users').set({ password_hash: null }).where('id', '=', user?.id ?? '').execute();
    const page = await visitor.get('/app/account/password');
    expect(page.body).toContain('You sign in through your organisation’s single sign-on, so you have no password here to change');
    expect(page.body).not.toContain('name="currentPassword"');
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const refused = await visitor.post('/app/account/password', { currentPassword: 'anything at all', password: 'copper kettle lantern harbour', confirmPassword: 'copper kettle lantern harbour' });
      expect(refused.statusCode).toBe(400);
    }
    const counted = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('action', '=', 'PASSWORD_CHANGE_FAILED').where('actor_user_id', '=', user?.id ?? '').execute();
    expect(counted).toEqual([]);
  });

  it('does not change the password when the session was ended while the new one was being prepared', async () => {
    const visitor = await signIn(platform, 'editor@demo.invalid');
    const user = await platform.services.users.findByEmail('editor@demo.invalid');
    const before = (await platform.services.db.kysely.selectFrom('users').select('password_hash').where('id', '=', user?.id ?? '').executeTakeFirstOrThrow()).password_hash;
    const session = await platform.services.db.kysely.selectFrom('sessions').select(['id', 'user_id', 'created_at']).where('id', '=', hashToken(sessionOf(visitor) ?? '')).executeTakeFirstOrThrow();
    // Signed out everywhere between the check of the current password and the save: the session it came from is gone.
    await platform.services.db.kysely.deleteFrom('sessions').where('id', '=', session.id).execute();
    const outcome = await platform.services.auth.changePassword({ id: session.id, userId: session.user_id, createdAt: session.created_at }, DEMO_PASSWORD, 'copper kettle lantern harbour', { ip: '192.0.2.7', requestId: 'test' });
    expect(outcome).toEqual({ kind: 'ended' });
    expect((await platform.services.db.kysely.selectFrom('users').select('password_hash').where('id', '=', user?.id ?? '').executeTakeFirstOrThrow()).password_hash).toBe(before);
    expect(await platform.services.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', user?.id ?? '').execute()).toEqual([]);
  });

  it('changes it, ends every other session, keeps this one going in a new session, and emails the person', async () => {
    const here = await signIn(platform, email);
    const elsewhere = await signIn(platform, email);
    const sessionBefore = sessionOf(here);
    const startedAt = (await platform.services.db.kysely.selectFrom('sessions').select('created_at').where('id', '=', hashToken(sessionBefore ?? '')).executeTakeFirstOrThrow()).created_at;
    await here.get('/app/account/password');
    const changed = await here.post('/app/account/password', { currentPassword: DEMO_PASSWORD, password: 'copper kettle lantern harbour', confirmPassword: 'copper kettle lantern harbour' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/app/account?notice=password-changed');
    expect(sessionOf(here)).not.toBe(sessionBefore);
    const account = await here.get(String(changed.headers.location));
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Your password has been changed. You have been signed out on every other device');
    expect((await elsewhere.get('/app/account')).statusCode).toBe(303);
    // The session the change was made in is replaced, not kept: its old cookie no longer signs anyone in.
    const replayed = new Visitor(platform.app);
    replayed.useCookie(platform.services.sessionCookie.name, sessionBefore ?? '');
    expect((await replayed.get('/app/account')).statusCode).toBe(303);
    // The new session keeps the sign-in's start: changing the password does not extend the 12-hour limit.
    const startOf = async (token: string | undefined) => (await platform.services.db.kysely.selectFrom('sessions').select('created_at').where('id', '=', hashToken(token ?? '')).executeTakeFirst())?.created_at;
    expect(await startOf(sessionOf(here))).toBe(startedAt);

    const mail = await platform.services.db.kysely.selectFrom('outbox_messages').select(['recipient_enc', 'body_text']).where('subject', '=', 'Your password was changed').execute();
    expect(mail.map((row) => platform.services.crypto.decrypt(row.recipient_enc))).toEqual([email]);
    expect(platform.services.crypto.decrypt(mail[0]?.body_text ?? '')).toContain('If it was not you, reset your password now');
    const audited = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('action', '=', 'PASSWORD_CHANGED').execute();
    expect(audited).toHaveLength(1);

    // The old password no longer signs in; the new one does.
    const old = new Visitor(platform.app);
    await old.get('/app/sign-in');
    expect((await old.post('/app/sign-in', { email, password: DEMO_PASSWORD })).body).toContain('The email address or password is not right');
    await old.get('/app/sign-in');
    expect((await old.post('/app/sign-in', { email, password: 'copper kettle lantern harbour' })).headers.location).toBe('/app/sign-in/code');
  });
});
