import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, Visitor } from '../../../test/support/visitor.js';

describe('password reset', () => {
  let platform: TestPlatform;
  let now = new Date();
  beforeAll(async () => {
    platform = await createTestPlatform({ clock: () => now });
  });
  afterAll(() => platform.close());

  const resetLinks = async (to: string) => {
    const rows = await platform.services.db.kysely.selectFrom('outbox_messages').select(['body_text', 'recipient_enc']).orderBy('created_at').execute();
    return rows
      .map((row) => ({ to: platform.services.crypto.decrypt(row.recipient_enc), body: platform.services.crypto.decrypt(row.body_text) }))
      .filter((message) => message.to === to)
      .map((message) => new URL(/https?:\/\/\S+\/app\/password-reset\/\S+/.exec(message.body)?.[0] ?? 'http://x/none').pathname);
  };
  const ask = async (email: string, remoteAddress: string) => {
    const visitor = new Visitor(platform.app, remoteAddress);
    await visitor.get('/app/password-reset');
    return visitor.post('/app/password-reset', { email });
  };
  const requested = (reason?: string) =>
    platform.services.db.kysely.selectFrom('audit_events').select(['outcome', 'details']).where('action', '=', 'PASSWORD_RESET_REQUESTED').execute().then((events) => events.filter((event) => (reason ? event.details.includes(reason) : event.outcome === 'success')));

  it('emails a link that sets a new password once, ends every session, and then says it has been used', async () => {
    const signedIn = await signIn(platform, 'editor@demo.invalid');
    const page = await ask('Editor@demo.invalid', '198.51.100.1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Check your email');
    const [link] = await resetLinks('editor@demo.invalid');
    expect(link).toMatch(/^\/app\/password-reset\/[A-Za-z0-9_-]{20,}$/);

    const person = new Visitor(platform.app);
    expect((await person.get(link ?? '')).headers.location).toBe('/app/password-reset/choose');
    await person.get('/app/password-reset/choose');
    // What attackers try first is refused, with the reason, and the link still works: a common password, a run of
    // one letter, a keyboard row, and the person's own name or email address.
    for (const guessable of ['password1234', 'aaaaaaaaaaaa', 'qwertyuiop12', 'directoryeditor', 'editor@demo.invalid']) {
      const refused = await person.post('/app/password-reset/choose', { password: guessable, confirmPassword: guessable });
      expect(refused.statusCode, guessable).toBe(400);
      expect(refused.body, guessable).toContain('<a href="#password">Choose a password that is harder to guess.');
      expect(refused.body, guessable).toContain('Three or more random words together make a strong password.');
    }
    expect((await person.post('/app/password-reset/choose', { password: 'directoryeditor', confirmPassword: 'directoryeditor' })).body).toContain('Your name and email address are easy to guess.');
    const chosen = await person.post('/app/password-reset/choose', { password: 'a new synthetic passphrase', confirmPassword: 'a new synthetic passphrase' });
    expect(chosen.statusCode).toBe(303);
    expect((await signedIn.get('/app/account')).headers.location).toMatch(/^\/app\/sign-in/);
    // Told it happened, with where to go if it was not them, and no link that signs anyone in.
    const told = await platform.services.db.kysely.selectFrom('outbox_messages').select(['recipient_enc', 'body_text']).where('subject', '=', 'Your password was changed').execute();
    expect(told.map((row) => platform.services.crypto.decrypt(row.recipient_enc))).toEqual(['editor@demo.invalid']);
    expect(platform.services.crypto.decrypt(told[0]?.body_text ?? '')).toMatch(/was reset with a link sent to this address[\s\S]*\/app\/password-reset$/);

    const again = await new Visitor(platform.app).get(link ?? '');
    expect(again.body).toContain('This link has already been used');
  });

  it('answers an address with no account exactly as one with an account, sends nothing, and records the request', async () => {
    const known = await ask('practitioner@demo.invalid', '198.51.100.2');
    const unknown = await ask('nobody.here@demo.invalid', '198.51.100.2');
    const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0];
    expect(main(unknown.body)).toBe(main(known.body));
    expect(await resetLinks('nobody.here@demo.invalid')).toEqual([]);
    expect(await requested('no-active-account')).toHaveLength(1);
  });

  it('sends at most 3 links to one address in 15 minutes, however often it is asked, then sends again after the wait', async () => {
    const addresses = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
    for (const address of addresses) expect((await ask('auditor@demo.invalid', address)).body).toContain('Check your email');
    expect(await resetLinks('auditor@demo.invalid')).toHaveLength(3);
    expect(await requested('too-many-requests')).toHaveLength(2);
    now = new Date(now.getTime() + 16 * 60 * 1000);
    await ask('auditor@demo.invalid', '198.51.100.15');
    expect(await resetLinks('auditor@demo.invalid')).toHaveLength(4);
  });

  it('refuses an expired link with a clear message', async () => {
    await ask('marac@demo.invalid', '198.51.100.20');
    const [link] = await resetLinks('marac@demo.invalid');
    now = new Date(now.getTime() + 61 * 60 * 1000);
    const late = await new Visitor(platform.app).get(link ?? '');
    expect(late.body).toContain('This link has expired');
    // The email itself is not sent once its link has expired (the outbox may be retrying a mail server that is down).
    const [message] = await platform.services.db.kysely.selectFrom('outbox_messages').select('send_before').orderBy('created_at', 'desc').limit(1).execute();
    const [token] = await platform.services.db.kysely.selectFrom('user_tokens').select('expires_at').where('purpose', '=', 'password_reset').orderBy('created_at', 'desc').limit(1).execute();
    expect(Date.parse(token?.expires_at ?? '') - Date.parse(message?.send_before ?? '')).toBe(10 * 60 * 1000); // never sent with under 10 minutes left
    now = new Date();
  });

  it('slows down one address asking for address after address', async () => {
    const answers = [];
    for (let count = 0; count < 11; count += 1) answers.push((await ask(`someone.${String(count)}@demo.invalid`, '198.51.100.30')).statusCode);
    expect(answers.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(answers[10]).toBe(429);
    // The page says the wait the limiter gives, not "a minute" whatever it is.
    const refused = await ask('someone.11@demo.invalid', '198.51.100.30');
    const minutes = Math.ceil(Number(refused.headers['retry-after']) / 60);
    expect(minutes).toBeGreaterThan(1);
    expect(refused.body).toContain(`Wait ${String(minutes)} minutes and try again.`);
  });
});
