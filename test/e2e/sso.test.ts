import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { freePort } from '../multi-instance/instances.js';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { persona } from '../support/visitor.js';
import { expectNoAxeViolations, launchChromium } from './support/browser.js';
import { CodePage, SignInPage } from './support/pages.js';

/**
 * Single sign-on in a real browser against a real OpenID Connect provider. The app listens on a port chosen
 * first, because the provider must send the browser back to the address in BASE_URL.
 */
describe('single sign-on in a browser', () => {
  let platform: TestPlatform;
  let provider: TestOidcProvider;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${String(port)}`;
    provider = await startTestOidcProvider({
      redirectUris: [`${baseUrl}/app/sso/kent-police/callback`],
      accounts: { 'kp-officer': { email: 'practitioner@demo.invalid', email_verified: true }, 'not-here': { email: 'editor@demo.invalid', email_verified: true } },
    });
    platform = await createTestPlatform({ env: { BASE_URL: baseUrl } });
    await platform.app.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await platform.close();
    await provider.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
    return context.newPage();
  }

  async function signInAsAdmin(page: Page): Promise<void> {
    const admin = persona('admin@demo.invalid');
    const signIn = await SignInPage.open(page);
    await signIn.signIn(admin.email, DEMO_PASSWORD);
    await new CodePage(page).expectShown();
    await new CodePage(page).enterCode(currentTotpCode(admin.totpSecret));
    await page.waitForURL(`${baseUrl}/app`);
  }

  /** At the provider (not our page, so no axe here): its own sign-in form, then its consent screen. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
    await page.waitForURL(`${baseUrl}/**`);
  }

  it('lets a system admin set it up with clear errors, then a member signs in with it and still gives their code', { timeout: 120_000 }, async () => {
    const admin = await newPage();
    await signInAsAdmin(admin);
    const organisation = await platform.services.reference.getOrganisationBySlug('kent-police');
    await admin.goto(`/app/admin/organisations/${organisation?.id ?? ''}/single-sign-on`);
    await admin.getByRole('heading', { level: 1, name: 'Single sign-on for Kent Police' }).waitFor();
    await expectNoAxeViolations(admin);

    await admin.getByRole('button', { name: 'Save and check settings' }).click();
    await admin.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect(await admin.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(admin);

    await admin.getByLabel('Issuer URL').fill(provider.issuer);
    await admin.getByLabel('Client ID').fill(provider.clientId);
    await admin.getByLabel('Client secret').fill(provider.clientSecret);
    await admin.getByRole('button', { name: 'Save and check settings' }).click();
    await admin.getByText('Single sign-on settings saved').waitFor();
    await expectNoAxeViolations(admin);
    await admin.getByRole('link', { name: 'Turn off single sign-on for Kent Police' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Turn off single sign-on for Kent Police?' }).waitFor();
    await expectNoAxeViolations(admin);

    const member = await newPage();
    await SignInPage.open(member);
    await member.getByRole('link', { name: 'Kent Police' }).click();
    await signInAtProvider(member, 'kp-officer');
    const code = await new CodePage(member).expectShown();
    await member.getByText('This platform also asks for its own second factor').waitFor();
    await code.enterCode(currentTotpCode(persona('practitioner@demo.invalid').totpSecret));
    await member.waitForURL(`${baseUrl}/app`);
  });

  it('shows a clear page to someone whose account is in another organisation', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto('/app/sso/kent-police');
    await signInAtProvider(page, 'not-here');
    await page.getByRole('heading', { level: 1, name: 'There is no account for you in this organisation' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Sign in with your email address and password' }).click();
    await new SignInPage(page).expectShown();
  });
});
