import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { persona } from '../support/visitor.js';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { CodePage, HomePage, SignInPage, signInAs } from './support/pages.js';

/** The text the open dialog is described by (what a screen reader reads after its name). */
function describedBy(page: Page): Promise<string> {
  // Browser code is passed as text: this project's TypeScript has no DOM types.
  return page.evaluate<string>(`(() => {
    const dialog = document.querySelector('dialog[open]');
    const ids = dialog ? (dialog.getAttribute('aria-describedby') || '').split(' ') : [];
    return ids.map((id) => (document.getElementById(id) || { textContent: '' }).textContent.replace(/\\s+/g, ' ').trim()).join(' ');
  })()`);
}

describe('signing in with a browser', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  async function userId(email: string): Promise<string> {
    const user = await rig.platform.services.users.findByEmail(email);
    if (!user) throw new Error(`no user ${email}`);
    return user.id;
  }

  it('takes a practitioner through password and code to home and their account, then signs out everywhere', { timeout: 120_000 }, async () => {
    const practitioner = persona('practitioner@demo.invalid');
    const page = await rig.newPage();
    const other = await rig.newPage();

    // The same person is also signed in on a second device, which "sign out everywhere" must end too.
    for (const [index, device] of [page, other].entries()) {
      const signIn = await SignInPage.open(device);
      await signIn.signIn(practitioner.email, DEMO_PASSWORD);
      // Both devices sign in within one 30-second step; the replay guard would rightly refuse the same code twice.
      if (index > 0) await rig.platform.services.db.kysely.updateTable('users').set({ totp_last_step: null }).where('id', '=', await userId(practitioner.email)).execute();
      await new CodePage(device).expectShown();
      await new CodePage(device).enterCode(currentTotpCode(practitioner.totpSecret));
      await new HomePage(device, practitioner.name).expectShown();
    }

    const account = await new HomePage(page, practitioner.name).openAccount();
    expect(await account.summary('Email address').textContent()).toContain(practitioner.email);
    expect(await account.summary('Organisation').textContent()).toContain('Kent Police');
    await account.signOutEverywhere();

    for (const device of [page, other]) {
      await device.goto('/app/account');
      await new SignInPage(device).expectShown();
    }
    expect(rig.problems).toEqual([]);
  });

  it('warns two minutes before an idle session ends, keeps it on "Stay signed in", and leaves for sign-in when the time is up', { timeout: 120_000 }, async () => {
    const page = await signInAs(rig, 'editor@demo.invalid');
    await page.clock.install();
    await page.goto('/app');
    const warning = page.getByRole('dialog', { name: 'You will be signed out soon' });
    expect(await warning.isVisible()).toBe(false);
    const lastSeen = async () => (await rig.platform.services.db.kysely.selectFrom('sessions').select('last_seen_at').where('user_id', '=', await userId('editor@demo.invalid')).orderBy('last_seen_at', 'desc').executeTakeFirstOrThrow()).last_seen_at;
    const before = await lastSeen();

    await page.clock.fastForward('28:05');
    await warning.waitFor();
    // The dialog takes focus, on the choice that keeps them signed in.
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.textContent.trim() : ""')).toBe('Stay signed in');
    // Read out with its heading, as the dialog's description: when they will be signed out.
    expect(await describedBy(page)).toMatch(/we will sign you out at \d{1,2}:\d{2}/);
    await expectNoAxeViolations(page);
    // The service out of reach: said in an alert, which is read out as it appears; the warning stays to try again.
    await page.route('**/app/session/keep-alive', (route) => route.abort());
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.getByRole('alert').filter({ hasText: 'We could not reach the service' }).waitFor();
    await page.unroute('**/app/session/keep-alive');
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'hidden' });
    expect(await lastSeen() > before).toBe(true); // the server's idle clock restarted, not just the page's

    // Nothing more happens: the server ends the session, and the page leaves the case details for sign-in.
    await rig.platform.services.db.kysely.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60 * 1000).toISOString() }).where('user_id', '=', await userId('editor@demo.invalid')).execute();
    await page.clock.fastForward('30:05');
    await page.waitForURL(/\/app\/sign-in\?ended=1$/);
    await page.getByText('Your session ended because you were inactive for 30 minutes').waitFor();
    expect(rig.problems).toEqual([]);
  });

  it('at the 12-hour limit says to save and sign in again, and at the end sends a referral page so what was typed is kept', { timeout: 120_000 }, async () => {
    const page = await signInAs(rig, 'practitioner@demo.invalid');
    const practitionerId = await userId('practitioner@demo.invalid');
    // Signed in for 11 hours 50 minutes: ten minutes are left, and nothing can add to them.
    await rig.platform.services.db.kysely.updateTable('sessions').set({ created_at: new Date(Date.now() - (11 * 60 + 50) * 60 * 1000).toISOString() }).where('user_id', '=', practitionerId).execute();
    await page.clock.install();
    await page.goto('/app/referrals');
    await page.getByRole('button', { name: 'Make a referral' }).click();
    await page.getByLabel('First name').fill('Timeout');
    await page.getByLabel('Last name').fill('Kept-Draft');

    await page.clock.fastForward('08:05');
    const final = page.getByRole('dialog', { name: 'You will need to sign in again soon' });
    await final.waitFor();
    expect(await final.getByRole('button', { name: 'Stay signed in' }).count()).toBe(0);
    expect(await describedBy(page)).toMatch(/the longest a session lasts\. We will sign you out at \d{1,2}:\d{2}/);
    await expectNoAxeViolations(page);
    await final.getByRole('button', { name: 'Close' }).click();
    await final.waitFor({ state: 'hidden' });

    // The server has ended the session by the time the page is sent: it keeps the page for its author.
    await rig.platform.services.db.kysely.updateTable('sessions').set({ created_at: new Date(Date.now() - 13 * 60 * 60 * 1000).toISOString() }).where('user_id', '=', practitionerId).execute();
    await page.clock.fastForward('02:05');
    await page.waitForURL(/\/app\/sign-in\?ended=1&kept=1$/);
    await page.getByText('What you typed has been kept').waitFor();
    expect(rig.problems).toEqual([]);
  });

  it('signing out in one tab ends the others, so no case page stays on a shared screen', { timeout: 60_000 }, async () => {
    const page = await signInAs(rig, 'auditor@demo.invalid');
    const otherTab = await page.context().newPage();
    await otherTab.goto('/app/audit');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await otherTab.waitForURL(/\/app\/signed-out$/);
    expect(rig.problems).toEqual([]);
  });

  it('shows a clear error summary for a wrong password and keeps the email address', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    const signIn = await SignInPage.open(page);
    await signIn.signIn('editor@demo.invalid', 'not-the-password');
    await signIn.expectError('The email address or password is not right. Check them and try again.');
    expect(await page.getByLabel('Email address').inputValue()).toBe('editor@demo.invalid');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    // The error summary takes focus, so a screen reader announces it at once.
    expect(await page.locator('.govuk-error-summary:focus').count()).toBe(1);
    expect(rig.problems).toEqual([]);
  });

  it('explains a wrong authenticator code on the code page', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    const signIn = await SignInPage.open(page);
    await signIn.signIn('auditor@demo.invalid', DEMO_PASSWORD);
    const code = await new CodePage(page).expectShown();
    await code.enterCode('000000');
    await code.expectError('The code is not right. Check your authenticator app and enter the code it shows now.');
    expect(page.url()).toMatch(/\/app\/sign-in\/code$/);
    expect(rig.problems).toEqual([]);
  });
});
