import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { persona, signIn } from '../../../test/support/visitor.js';
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
    // The demo accounts are made with an authenticator but no codes: the page says what that risks.
    expect(before).toEqual([]);
    expect(page.body).toContain('You have no recovery codes.');

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
});
