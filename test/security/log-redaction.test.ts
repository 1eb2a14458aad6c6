import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logging.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { signIn, Visitor } from '../support/visitor.js';
import { INTERNAL_DETAIL, withProbes } from './support/probes.js';

/**
 * Runs the journeys that handle the most sensitive values through an app whose log is captured at debug level,
 * then looks for each of those values in every line written.
 */
describe('logs', () => {
  const lines: string[] = [];
  let platform: TestPlatform;
  const secrets = new Map<string, string>();
  let failureReference = '';

  beforeAll(async () => {
    platform = await withProbes(await createTestPlatform(), createLogger('debug', { write: (line: string) => lines.push(line) }));
    const { services } = platform;

    const admin = await signIn(platform, 'admin@demo.invalid');
    secrets.set('admin email', 'admin@demo.invalid');
    secrets.set('admin name', 'Demo System Admin (synthetic)');
    secrets.set('demo password', DEMO_PASSWORD);
    secrets.set('session cookie', admin.cookie(services.sessionCookie.name) ?? 'missing');
    await admin.get('/app/account');
    secrets.set('CSRF token', admin.lastCsrf);

    const wrong = new Visitor(platform.app);
    await wrong.get('/app/sign-in');
    secrets.set('form token cookie', wrong.cookie('form_token') ?? 'missing');
    await wrong.post('/app/sign-in', { email: 'Harriet.Quill.Synthetic@example.invalid', password: 'Wrong-Password-Zebra-91' });
    secrets.set('mistyped email', 'harriet.quill.synthetic@example.invalid');
    secrets.set('wrong password', 'Wrong-Password-Zebra-91');
    await wrong.get('/app/password-reset');
    await wrong.post('/app/password-reset', { email: 'admin@demo.invalid' });

    const adminUser = await services.users.findByEmail('admin@demo.invalid');
    if (!adminUser) throw new Error('demo admin missing');
    const actor = { userId: adminUser.id, organisationId: adminUser.organisationId, roles: adminUser.roles };
    await services.users.invite(actor, { organisationId: adminUser.organisationId, email: 'Ottoline.Brackenbury@example.invalid', name: 'Ottoline Brackenbury', phone: '07700 900461', roles: ['practitioner'] }, { ip: '127.0.0.1', requestId: 'test' });
    secrets.set('invitee email', 'ottoline.brackenbury@example.invalid');
    secrets.set('invitee name', 'Ottoline Brackenbury');
    secrets.set('invitee phone', '07700 900461');

    const messages = await services.db.kysely.selectFrom('outbox_messages').select('body_text').execute();
    const token = messages.map((message) => /\/app\/invitation\/([A-Za-z0-9_-]+)/.exec(services.crypto.decrypt(message.body_text))?.[1]).find(Boolean);
    if (!token) throw new Error('no invitation link in the outbox');
    secrets.set('invitation token', token);
    const invitee = new Visitor(platform.app);
    const opened = await invitee.get(`/app/invitation/${token}`);
    if (opened.statusCode !== 303) throw new Error(`invitation link answered ${String(opened.statusCode)}`);
    await invitee.get('/app/invitation/choose');
    const chosen = await invitee.post('/app/invitation/choose', { password: 'Otter-Lantern-Quarry-58', confirmPassword: 'Otter-Lantern-Quarry-58' });
    if (chosen.statusCode !== 303) throw new Error(`choosing a password answered ${String(chosen.statusCode)}`);
    secrets.set('chosen password', 'Otter-Lantern-Quarry-58');

    const failed = await admin.get('/app/probe/throws');
    failureReference = /class="app-reference">([^<]+)</.exec(failed.body)?.[1] ?? '';
  });
  afterAll(() => platform.close());

  it('were written for these requests, one line each (so the search below means something)', () => {
    const answered = lines.filter((line) => line.includes('"request completed"')).map((line) => (JSON.parse(line) as { req: { method: string; url: string } }).req);
    expect(answered.length).toBeGreaterThan(12);
    expect(answered).toContainEqual({ method: 'POST', url: '/app/sign-in', id: expect.any(String) as string });
    expect(answered).toContainEqual({ method: 'POST', url: '/app/password-reset', id: expect.any(String) as string });
    expect(answered).toContainEqual({ method: 'GET', url: '/app/invitation/[token]', id: expect.any(String) as string });
    expect(lines.some((line) => line.includes('incoming request'))).toBe(false);
  });

  it.each(['admin email', 'admin name', 'demo password', 'session cookie', 'CSRF token', 'form token cookie', 'mistyped email', 'wrong password', 'invitee email', 'invitee name', 'invitee phone', 'invitation token', 'chosen password'])(
    'never contain the %s',
    (label) => {
      const secret = secrets.get(label);
      expect(secret && secret.length > 5).toBe(true);
      const found = lines.filter((line) => line.toLowerCase().includes(String(secret).toLowerCase()));
      expect(found).toEqual([]);
    },
  );

  it('keep the detail of a failure under the reference number the person was shown', () => {
    expect(failureReference).not.toBe('');
    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; level: number; err?: { message?: string; stack?: string } });
    const logged = entries.find((entry) => entry.reqId === failureReference && entry.level >= 50);
    expect(logged?.err?.message).toBe(INTERNAL_DETAIL);
    expect(logged?.err?.stack).toContain('probes.ts');
  });
});
