import type { Locator, Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { expectNoAxeViolations } from './browser.js';

/**
 * Page objects read like the person using the page: they find things by role and label, and every time one says
 * "this page is shown" it also checks the page for accessibility problems.
 */
export abstract class ShownPage {
  constructor(readonly page: Page) {}

  protected abstract readonly heading: string | RegExp;

  /** The page is showing (by its main heading) and passes axe at WCAG 2.2 AA. */
  async expectShown(): Promise<this> {
    await this.page.getByRole('heading', { level: 1, name: this.heading }).waitFor();
    await expectNoAxeViolations(this.page);
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
