import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { persona, signIn, signInOn, Visitor } from '../../../test/support/visitor.js';
import { DEMO_PASSWORD } from '../seed/demo-users.js';
import { ADDRESS_RULE } from './throttle.js';
import { currentTotpCode } from './totp.js';

describe('signing in', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('takes a practitioner through password and authenticator code to the home page', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const home = await visitor.get('/app');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Demo Practitioner (synthetic)');
  });

  it('is in English, and says so, whatever language the address asks for', async () => {
    const page = await platform.app.inject({ url: '/app/sign-in?lang=pl' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain('Sign in');
  });

  it('sets the session cookie HttpOnly, SameSite and scoped to /app, and rotates it at each stage', async () => {
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    const first = await visitor.post('/app/sign-in', { email: 'auditor@demo.invalid', password: DEMO_PASSWORD });
    const passwordCookie = first.cookies.find((cookie) => cookie.name === 'session');
    expect(passwordCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/app' });
    await visitor.get('/app/sign-in/code');
    await visitor.post('/app/sign-in/code', { code: currentTotpCode(persona('auditor@demo.invalid').totpSecret) });
    expect(visitor.cookie('session')).toBeDefined();
    expect(visitor.cookie('session')).not.toBe(passwordCookie?.value);
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    const response = await visitor.post('/app/sign-in', { email: 'editor@demo.invalid', password: 'not-the-password' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('The email address or password is not right');
    expect(visitor.cookie('session')).toBeUndefined();
  });

  it('refuses a form posted without its CSRF token', async () => {
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    const response = await visitor.post('/app/sign-in', { email: 'editor@demo.invalid', password: DEMO_PASSWORD }, { csrf: null });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This form has expired');
    expect(visitor.cookie('session')).toBeUndefined();
  });

  it('refuses an authenticator code that has already been used', async () => {
    const email = 'officer@demo.invalid';
    const now = new Date();
    const code = currentTotpCode(persona(email).totpSecret, now);
    await signIn(platform, email, now);
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    await visitor.post('/app/sign-in', { email, password: DEMO_PASSWORD });
    await visitor.get('/app/sign-in/code');
    const replay = await visitor.post('/app/sign-in/code', { code });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('That code has already been used');
    expect((await visitor.get('/app')).statusCode).toBe(303);
  });

  it('locks an account after repeated failures and says how long to wait', async () => {
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    const responses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      responses.push(await visitor.post('/app/sign-in', { email: 'orgadmin@demo.invalid', password: `wrong-${String(attempt)}` }));
    }
    const last = responses.at(-1);
    expect(last?.statusCode).toBe(429);
    expect(last?.body).toMatch(/wait \d+ (seconds|minutes) before you try again/);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    const correct = await visitor.post('/app/sign-in', { email: 'orgadmin@demo.invalid', password: DEMO_PASSWORD });
    expect(correct.statusCode).toBe(429);
  });

  it('answers guesses at an address with no account exactly as at one with an account', async () => {
    const answers = async (email: string, remoteAddress: string) => {
      const visitor = new Visitor(platform.app, remoteAddress);
      await visitor.get('/app/sign-in');
      const statuses = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await visitor.post('/app/sign-in', { email, password: `wrong-${String(attempt)}` })).statusCode);
      return statuses;
    };
    const real = await answers('marac@demo.invalid', '198.51.100.1');
    expect(real.at(-1)).toBe(429);
    expect(await answers('nobody-here@demo.invalid', '198.51.100.2')).toEqual(real);
  });

  it('keeps counting failures from an address after someone there signs in, password and code', async () => {
    const address = '198.51.100.3';
    const guesser = new Visitor(platform.app, address);
    await guesser.get('/app/sign-in');
    const guess = (email: string) => guesser.post('/app/sign-in', { email, password: 'not-the-password' });
    for (const [index, email] of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].entries()) expect((await guess(`guess-${email}${String(index)}@demo.invalid`)).statusCode).toBe(400);
    // Someone at the same address (or the guesser, with an account of their own) signs in: the address's count stays.
    const colleague = new Visitor(platform.app, address);
    expect(await signInOn(colleague, platform, 'auditor@demo.invalid')).toBe('/app');
    expect((await guess('guess-k@demo.invalid')).statusCode).toBe(400);
    expect((await guess('guess-l@demo.invalid')).statusCode).toBe(429);
  });

  it('sends someone whose account has an authenticator from the set-up page to the code page, without changing it', async () => {
    const visitor = new Visitor(platform.app, '198.51.100.22');
    await visitor.get('/app/sign-in');
    expect((await visitor.post('/app/sign-in', { email: 'auditor@demo.invalid', password: DEMO_PASSWORD })).headers.location).toBe('/app/sign-in/code');
    expect((await visitor.get('/app/sign-in/set-up-authenticator')).headers.location).toBe('/app/sign-in/code');
    await visitor.get('/app/sign-in/code');
    const posted = await visitor.post('/app/sign-in/set-up-authenticator', { code: '123456', sealed: 'anything' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/app/sign-in/code');
    expect(await signInOn(visitor, platform, 'auditor@demo.invalid')).toBe('/app');
  });

  it('lets someone in who mistypes their password a few times, then gets it right and enters their code', async () => {
    await platform.services.db.kysely.deleteFrom('sign_in_throttle').execute();
    const visitor = new Visitor(platform.app, '198.51.100.21');
    await visitor.get('/app/sign-in');
    for (let typo = 0; typo < 4; typo += 1) expect((await visitor.post('/app/sign-in', { email: 'marac@demo.invalid', password: 'nearly-the-password' })).statusCode).toBe(400);
    // The fourth failure asks them to wait 30 seconds; they do.
    await platform.services.db.kysely.updateTable('sign_in_throttle').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('locked_until', 'is not', null).execute();
    expect(await signInOn(visitor, platform, 'marac@demo.invalid')).toBe('/app');
    expect((await visitor.get('/app')).statusCode).toBe(200);
  });

  it('checks no more passwords than the lockout allows when many tries for one account arrive at once', async () => {
    const address = '198.51.100.9';
    const tries = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const visitor = new Visitor(platform.app, address);
        await visitor.get('/app/sign-in');
        return (await visitor.post('/app/sign-in', { email: 'officer@demo.invalid', password: 'not-the-password' })).statusCode;
      }),
    );
    // At most five tries are checked (and fail); every other one is refused as locked without its password being checked.
    const checked = tries.filter((status) => status === 400).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(tries.filter((status) => status === 429)).toHaveLength(20 - checked);
    const audited = await platform.services.db.kysely.selectFrom('audit_events').select('id').where('action', '=', 'SIGN_IN_FAILED').where('ip', '=', address).execute();
    expect(audited).toHaveLength(checked);
  });

  it('never makes an address wait longer than the 15-minute lockout, however many tries it has made', async () => {
    const { throttle } = platform.services;
    for (let failure = 1; failure <= 29; failure += 1) {
      await throttle.failed(await throttle.count('address:203.0.113.77', ADDRESS_RULE));
      const state = await throttle.state('address:203.0.113.77');
      if (state.locked) expect(state.retryAfterSeconds, `after ${String(failure)} failures`).toBeLessThanOrEqual(15 * 60);
    }
  });

  it('sends a signed-out visitor from a professional page to sign in', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/app' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/app/sign-in');
  });
});

describe('an idle session', () => {
  let platform: TestPlatform;
  let now = new Date();
  beforeAll(async () => {
    platform = await createTestPlatform({ clock: () => now });
  });
  afterAll(() => platform.close());

  const minutes = (count: number) => {
    now = new Date(now.getTime() + count * 60_000);
  };
  const secondsLeftOn = (body: string) => Number(/data-seconds-left="(\d+)"/.exec(body)?.[1]);

  it('tells each page how long it has left, is kept alive by "Stay signed in", and never past its 12 hours', async () => {
    now = new Date(); // the authenticator code at sign-in is worked out from the real time
    const visitor = await signIn(platform, 'editor@demo.invalid');
    const home = (await visitor.get('/app')).body;
    expect(secondsLeftOn(home)).toBe(30 * 60);
    expect(home).toContain('data-final="no"');
    minutes(29);
    // A page that asks nothing of the server: only the warning's button keeps the session.
    const kept = await visitor.post('/app/session/keep-alive', {});
    expect(kept.statusCode).toBe(200);
    expect(kept.headers['cache-control']).toBe('no-store');
    expect(kept.json()).toEqual({ secondsLeft: 30 * 60, final: false });
    minutes(29);
    expect((await visitor.get('/app')).statusCode).toBe(200); // 58 minutes after the page, 29 after "stay"

    expect((await visitor.post('/app/session/keep-alive', {}, { csrf: null })).statusCode).toBe(403);
    for (let time = 0; time < 26; time += 1) {
      minutes(25);
      expect((await visitor.post('/app/session/keep-alive', {})).statusCode).toBe(200);
    }
    minutes(5);
    // 11 hours 53 minutes in: 7 minutes left, whatever is kept alive.
    expect((await visitor.post('/app/session/keep-alive', {})).json()).toEqual({ secondsLeft: 7 * 60, final: true });
    minutes(8);
    const ended = await visitor.post('/app/session/keep-alive', {});
    expect(ended.statusCode).toBe(401); // the page then goes to sign-in
    expect(ended.body).toContain('Your session ended');
  });
});
