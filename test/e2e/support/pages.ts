import type { Locator, Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { currentTotpCode } from '../../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../../src/platform/seed/demo-users.js';
import { persona } from '../../support/visitor.js';
import { expectNoAxeViolations, type BrowserRig } from './browser.js';

/** The page is showing (by its main heading) and passes axe at WCAG 2.2 AA. */
export async function expectPageShown(page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await expectNoAxeViolations(page);
}

/** A demo persona signed in through the real pages (password, then authenticator code), on their home page. */
export async function signInAs(rig: BrowserRig, email: string): Promise<Page> {
  const who = persona(email);
  // Each sign-in in a suite may fall in the same 30-second step; the replay guard would refuse the code again.
  await rig.platform.services.db.kysely.updateTable('users').set({ totp_last_step: null }).execute();
  const page = await rig.newPage();
  await (await SignInPage.open(page)).signIn(who.email, DEMO_PASSWORD);
  await (await new CodePage(page).expectShown()).enterCode(currentTotpCode(who.totpSecret));
  await new HomePage(page, who.name).expectShown();
  return page;
}

/**
 * Page objects read like the person using the page: they find things by role and label, and every time one says
 * "this page is shown" it also checks the page for accessibility problems.
 */
export abstract class ShownPage {
  constructor(readonly page: Page) {}

  protected abstract readonly heading: string | RegExp;

  /** The page is showing (by its main heading) and passes axe at WCAG 2.2 AA. */
  async expectShown(): Promise<this> {
    await expectPageShown(this.page, this.heading);
    return this;
  }

  errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  }

  async expectError(message: string): Promise<void> {
    await this.errorSummary().waitFor();
    assert.equal(await this.errorSummary().getByRole('link', { name: message }).count(), 1, `error summary should link "${message}"`);
    assert.match(await this.page.title(), /^Error: /);
    await expectNoAxeViolations(this.page);
  }
}

export class SignInPage extends ShownPage {
  protected readonly heading = 'Sign in';

  static async open(page: Page): Promise<SignInPage> {
    await page.goto('/app/sign-in');
    return new SignInPage(page).expectShown();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Continue' }).click();
  }
}

export class CodePage extends ShownPage {
  protected readonly heading = 'Enter the code from your authenticator app';

  async enterCode(code: string): Promise<void> {
    await this.page.getByLabel(this.heading).fill(code);
    await this.page.getByRole('button', { name: 'Continue' }).click();
  }
}

export class HomePage extends ShownPage {
  constructor(page: Page, protected readonly heading: string) {
    super(page);
  }

  async openAccount(): Promise<AccountPage> {
    await this.page.getByRole('main').getByRole('link', { name: 'Your account' }).click();
    return new AccountPage(this.page).expectShown();
  }
}

export class AccountPage extends ShownPage {
  protected readonly heading = 'Your account';

  summary(key: string): Locator {
    return this.page.locator('.govuk-summary-list__row').filter({ has: this.page.getByText(key, { exact: true }) }).locator('.govuk-summary-list__value');
  }

  async signOutEverywhere(): Promise<SignedOutPage> {
    await this.page.getByRole('button', { name: 'Sign out on every device' }).click();
    return new SignedOutPage(this.page).expectShown();
  }
}

export class SignedOutPage extends ShownPage {
  protected readonly heading = 'You have signed out';
}
