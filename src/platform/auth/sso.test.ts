import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { captureLog } from '../../../test/support/capture-log.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../../test/support/oidc-provider.js';
import { persona, signIn, Visitor } from '../../../test/support/visitor.js';
import { currentTotpCode } from './totp.js';

const BASE_URL = 'https://partnership.example.org';
const CALLBACK = '/app/sso/kent-police/callback';

describe('single sign-on through an organisation’s OpenID Connect provider', () => {
  let platform: TestPlatform;
  let provider: TestOidcProvider;
  let organisationId: string;

  beforeAll(async () => {
    provider = await startTestOidcProvider({
      redirectUris: [`${BASE_URL}${CALLBACK}`],
      accounts: {
        'kp-practitioner': { email: 'Practitioner@demo.invalid', email_verified: true },
        'kp-unverified': { email: 'practitioner@demo.invalid', email_verified: false },
        'other-organisation': { email: 'service@demo.invalid', email_verified: true },
        stranger: { email: 'nobody@example.org', email_verified: true },
      },
    });
    platform = await createTestPlatform({ env: { BASE_URL } });
    const organisation = await platform.services.reference.getOrganisationBySlug('kent-police');
    organisationId = organisation?.id ?? '';
    const admin = await signIn(platform, 'admin@demo.invalid');
    await admin.get(`/app/admin/organisations/${organisationId}/single-sign-on`);
    const saved = await admin.post(`/app/admin/organisations/${organisationId}/single-sign-on`, {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      version: String(organisation?.version ?? 0),
    });
    if (saved.statusCode !== 303) throw new Error(`Could not save SSO settings: ${saved.body}`);
  });
  afterAll(async () => {
    await platform.close();
    await provider.close();
  });

  /** Starts at the platform, signs in at the provider and returns the callback address the provider sent back. */
  async function throughProvider(visitor: Visitor, accountId: string): Promise<string> {
    const started = await visitor.get('/app/sso/kent-police');
    expect(started.statusCode).toBe(303);
    const back = await provider.signInAt(String(started.headers.location), accountId);
    expect(`${back.origin}${back.pathname}`).toBe(`${BASE_URL}${CALLBACK}`);
    return `${back.pathname}${back.search}`;
  }

  const auditActions = async () =>
    (await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'details', 'actor_user_id']).orderBy('seq', 'desc').limit(1).execute())[0];

  it('lists the organisation on the sign-in page and says the authenticator code is still needed', async () => {
    const page = await new Visitor(platform.app).get('/app/sign-in');
    expect(page.body).toContain('href="/app/sso/kent-police"');
    expect(page.body).toContain('You will still need the code from your authenticator app');
  });

  it('starts an authorization code flow with PKCE, state and nonce kept in a sealed cookie for the callback only', async () => {
    const visitor = new Visitor(platform.app);
    const started = await visitor.get('/app/sso/kent-police');
    const location = new URL(String(started.headers.location));
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: `${BASE_URL}${CALLBACK}`,
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    for (const param of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(param)).toMatch(/^[\w-]{32,}$/);
    const cookie = started.cookies.find((candidate) => candidate.name === 'sso_flow');
    expect(cookie).toMatchObject({ path: CALLBACK, httpOnly: true, sameSite: 'Lax', maxAge: 600 });
    expect(cookie?.value).not.toContain(location.searchParams.get('state'));
    expect(cookie?.value).not.toContain(location.searchParams.get('nonce'));
  });

  it('signs a member of the organisation in to the password stage, then still asks for the authenticator code', async () => {
    const visitor = new Visitor(platform.app);
    const callback = await visitor.get(await throughProvider(visitor, 'kp-practitioner'));
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/app/sign-in/code?via=sso');
    expect(visitor.cookie('sso_flow')).toBeUndefined();
    expect(await auditActions()).toMatchObject({ action: 'SIGN_IN_SSO', details: '{"organisation":"kent-police"}' });

    expect((await visitor.get('/app')).headers.location).toBe('/app/sign-in');
    const codePage = await visitor.get('/app/sign-in/code?via=sso');
    expect(codePage.body).toContain('This platform also asks for its own second factor');
    const user = await platform.services.users.findByEmail('practitioner@demo.invalid');
    await platform.services.db.kysely.updateTable('users').set({ totp_last_step: null }).where('id', '=', user?.id ?? '').execute();
    const done = await visitor.post('/app/sign-in/code', { code: currentTotpCode(persona('practitioner@demo.invalid').totpSecret) });
    expect(done.headers.location).toBe('/app');
    expect((await visitor.get('/app')).statusCode).toBe(200);
  });

  it('refuses someone whose account belongs to another organisation, with a clear page and an audit event', async () => {
    const visitor = new Visitor(platform.app);
    const refused = await visitor.get(await throughProvider(visitor, 'other-organisation'));
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('There is no account for you in this organisation');
    expect(refused.body).toContain('href="/app/sign-in"');
    expect(visitor.cookie('session')).toBeUndefined();
    const service = await platform.services.users.findByEmail('service@demo.invalid');
    expect(await auditActions()).toMatchObject({ action: 'SIGN_IN_SSO_FAILED', actor_user_id: service?.id, details: '{"reason":"other-organisation","organisation":"kent-police"}' });
  });

  it('refuses someone with no account, and an email the provider has not verified', async () => {
    const stranger = new Visitor(platform.app);
    expect((await stranger.get(await throughProvider(stranger, 'stranger'))).statusCode).toBe(403);
    expect(await auditActions()).toMatchObject({ action: 'SIGN_IN_SSO_FAILED', actor_user_id: null, details: '{"reason":"no-account","organisation":"kent-police"}' });

    const unverified = new Visitor(platform.app);
    const refused = await unverified.get(await throughProvider(unverified, 'kp-unverified'));
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('did not confirm your email address');
    expect(unverified.cookie('session')).toBeUndefined();
  });

  it('refuses a callback replayed without its flow cookie, or with a state that does not match', async () => {
    const visitor = new Visitor(platform.app);
    const callbackPath = await throughProvider(visitor, 'kp-practitioner');
    const replayed = await new Visitor(platform.app).get(callbackPath);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.body).toContain('Start again');

    const forged = await visitor.get(callbackPath.replace(/state=[^&]+/, 'state=forged-state-value'));
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('We could not check the answer');
    expect(visitor.cookie('session')).toBeUndefined();
    expect(await auditActions()).toMatchObject({ action: 'SIGN_IN_SSO_FAILED' });
  });

  it('keeps the code and state out of the log', async () => {
    const log = captureLog('info');
    const app = await buildApp({ services: platform.services, logger: log.logger });
    try {
      const visitor = new Visitor(app);
      const callbackPath = await throughProvider(visitor, 'kp-practitioner');
      const code = new URLSearchParams(callbackPath.split('?')[1]).get('code') ?? '';
      expect((await visitor.get(callbackPath)).statusCode).toBe(303);
      expect(code.length).toBeGreaterThan(10);
      expect(log.text()).toContain(CALLBACK);
      expect(log.text()).not.toContain(code);
      expect(log.text()).not.toContain('state=');
    } finally {
      await app.close();
    }
  });

  it('says so when the organisation has no single sign-on', async () => {
    const page = await new Visitor(platform.app).get('/app/sso/kent-county-council');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Single sign-on is not available for this organisation');
  });
});
