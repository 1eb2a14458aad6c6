import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../../test/support/oidc-provider.js';
import { signIn, Visitor } from '../../../test/support/visitor.js';

describe('single sign-on settings for system administrators', () => {
  let platform: TestPlatform;
  let provider: TestOidcProvider;
  let admin: Visitor;
  let page: string;
  let organisationId: string;

  beforeAll(async () => {
    provider = await startTestOidcProvider({ redirectUris: ['https://partnership.example.org/app/sso/opcc-kent/callback'], accounts: {} });
    platform = await createTestPlatform({ env: { BASE_URL: 'https://partnership.example.org' } });
    organisationId = (await platform.services.reference.getOrganisationBySlug('opcc-kent'))?.id ?? '';
    page = `/app/admin/organisations/${organisationId}/single-sign-on`;
    admin = await signIn(platform, 'admin@demo.invalid');
  });
  afterAll(async () => {
    await platform.close();
    await provider.close();
  });

  const version = async () => String((await platform.services.reference.getOrganisation(organisationId))?.version);
  const latestAudit = async () => platform.services.db.kysely.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

  it('is only for those who manage organisations', async () => {
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    expect((await orgAdmin.get(page)).statusCode).toBe(403);
    expect((await new Visitor(platform.app).get(page)).headers.location).toBe('/app/sign-in');
  });

  it('shows that single sign-on is off and the redirect URI to register', async () => {
    const shown = await admin.get(page);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Single sign-on for Office of the Kent Police and Crime Commissioner');
    expect(shown.body).toContain('https://partnership.example.org/app/sso/opcc-kent/callback');
    expect(shown.body).toMatch(/govuk-tag--grey">\s*Off/);
    expect(shown.body).toContain('the platform always asks for its own second factor');
  });

  it('explains every missing answer in an error summary and saves nothing', async () => {
    await admin.get(page);
    const response = await admin.post(page, { issuer: '', clientId: '', clientSecret: '', version: await version() });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    for (const message of ['Enter the issuer URL', 'Enter the client ID', 'Enter the client secret']) expect(response.body).toContain(message);
    expect((await platform.services.reference.getOrganisation(organisationId))?.sso_issuer).toBeNull();
  });

  it('refuses an issuer that is not https, and one whose settings cannot be read, without echoing the secret', async () => {
    await admin.get(page);
    const plain = await admin.post(page, { issuer: 'http://login.example.org', clientId: 'abc', clientSecret: 'typed-secret-value', version: await version() });
    expect(plain.statusCode).toBe(400);
    expect(plain.body).toContain('The issuer URL must start with https://');
    expect(plain.body).not.toContain('typed-secret-value');

    const unreachable = await admin.post(page, { issuer: 'https://127.0.0.1:9/realms/staff', clientId: 'abc', clientSecret: 'typed-secret-value', version: await version() });
    expect(unreachable.statusCode).toBe(400);
    expect(unreachable.body).toContain('https://127.0.0.1:9/realms/staff/.well-known/openid-configuration');
    expect(unreachable.body).not.toContain('typed-secret-value');
  });

  it('checks the provider, saves the secret encrypted, audits the change and lists the organisation at sign-in', async () => {
    await admin.get(page);
    const saved = await admin.post(page, { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, version: await version() });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${page}?notice=saved`);
    expect((await admin.get(String(saved.headers.location))).body).toContain('Single sign-on settings saved');
    const stored = await platform.services.reference.getOrganisation(organisationId);
    expect(stored).toMatchObject({ sso_issuer: provider.issuer, sso_client_id: provider.clientId });
    expect(stored?.sso_client_secret_enc).not.toContain(provider.clientSecret);
    expect(platform.services.crypto.decrypt(stored?.sso_client_secret_enc ?? '')).toBe(provider.clientSecret);
    const event = await latestAudit();
    expect(event).toMatchObject({ action: 'SSO_SETTINGS_CHANGED', record_id: organisationId });
    expect(event.details).not.toContain(provider.clientSecret);
    expect((await new Visitor(platform.app).get('/app/sign-in')).body).toContain('href="/app/sso/opcc-kent"');
  });

  it('keeps the saved secret when the field is left empty, and refuses a stale form', async () => {
    const shown = await admin.get(page);
    expect(shown.body).toContain('A secret is saved. Leave this empty to keep it');
    const staleVersion = await version();
    const kept = await admin.post(page, { issuer: provider.issuer, clientId: provider.clientId, clientSecret: '', version: staleVersion });
    expect(kept.statusCode).toBe(303);
    const stored = await platform.services.reference.getOrganisation(organisationId);
    expect(platform.services.crypto.decrypt(stored?.sso_client_secret_enc ?? '')).toBe(provider.clientSecret);

    const stale = await admin.post(page, { issuer: provider.issuer, clientId: 'changed', clientSecret: '', version: staleVersion });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this organisation');
    expect((await platform.services.reference.getOrganisation(organisationId))?.sso_client_id).toBe(provider.clientId);
  });

  it('turns single sign-on off after confirmation', async () => {
    const confirm = await admin.get(`${page}/remove`);
    expect(confirm.body).toContain('Turn off single sign-on for Office of the Kent Police and Crime Commissioner?');
    const removed = await admin.post(`${page}/remove`, { version: await version() });
    expect(removed.headers.location).toBe(`${page}?notice=removed`);
    expect(await platform.services.reference.getOrganisation(organisationId)).toMatchObject({ sso_issuer: null, sso_client_id: null, sso_client_secret_enc: null });
    expect((await latestAudit()).action).toBe('SSO_SETTINGS_REMOVED');
    expect((await new Visitor(platform.app).get('/app/sign-in')).body).not.toContain('/app/sso/opcc-kent');
  });
});
