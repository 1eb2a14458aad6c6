import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { persona, signIn } from '../../../test/support/visitor.js';
import { demoRecoveryCodes } from '../seed/demo-users.js';
import { spendRecoveryCode } from './recovery-codes.js';
import { currentTotpCode } from './totp.js';

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
