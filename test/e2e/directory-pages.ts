import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { persona } from '../support/visitor.js';
import { expectNoAxeViolations } from './support/browser.js';
import { CodePage, SignInPage } from './support/pages.js';

/** The directory's pages as a person uses them. Every page checks itself with axe when it is shown. */
abstract class DirectoryPage {
  constructor(readonly page: Page) {}
  protected abstract readonly heading: string | RegExp;

  async expectShown(): Promise<this> {
    await this.page.getByRole('heading', { level: 1, name: this.heading }).waitFor();
    await expectNoAxeViolations(this.page);
    return this;
  }
}

export class FinderPage extends DirectoryPage {
  protected readonly heading = 'Find support near you';

  static async open(page: Page): Promise<FinderPage> {
    await page.goto('/services');
    return new FinderPage(page).expectShown();
  }

  async search(location: string, need: string): Promise<ResultsPage> {
    await this.page.getByLabel('Town, postcode or area').fill(location);
    await this.page.getByLabel('Kind of help').selectOption({ label: need });
    await this.page.getByRole('main').getByRole('button', { name: 'Search' }).click();
    return new ResultsPage(this.page).expectShown();
  }
}

export class ResultsPage extends DirectoryPage {
  protected readonly heading = 'Services found';

  async resultNames(): Promise<string[]> {
    return this.page.getByRole('main').getByRole('heading', { level: 2 }).allTextContents().then((names) => names.map((name) => name.trim()).filter((name) => name.includes('(synthetic)')));
  }

  /** The "why this is listed" reasons under a result. */
  async reasonsFor(name: string): Promise<string[]> {
    const item = this.page.getByRole('listitem').filter({ has: this.page.getByRole('heading', { level: 2, name }) });
    return (await item.locator('.govuk-list--bullet li').allTextContents()).map((reason) => reason.trim());
  }

  async open(name: string): Promise<ServicePage> {
    await this.page.getByRole('link', { name }).click();
    return new ServicePage(this.page, name).expectShown();
  }
}

export class ServicePage extends DirectoryPage {
  constructor(
    page: Page,
    protected readonly heading: string,
  ) {
    super(page);
  }

  section(title: string) {
    return this.page.getByRole('heading', { level: 2, name: title });
  }

  async askForCallBack(): Promise<CallBackPage> {
    await this.page.getByRole('link', { name: 'Ask for a safe call back' }).click();
    return new CallBackPage(this.page).expectShown();
  }
}

export class CallBackPage extends DirectoryPage {
  protected readonly heading = 'Ask for a safe call back';

  async send(): Promise<void> {
    await this.page.getByRole('button', { name: 'Send request' }).click();
  }

  async expectErrors(messages: string[]): Promise<void> {
    const summary = this.page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    for (const message of messages) expect(await summary.getByRole('link', { name: message }).count(), message).toBe(1);
    expect(await this.page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(this.page);
  }

  async fillIn(answers: { phone: string; times: string[]; leaveMessage: 'yes' | 'no'; safeWord: string }): Promise<void> {
    await this.page.getByLabel('A safe phone number').fill(answers.phone);
    for (const time of answers.times) await this.page.getByLabel(time).check();
    await this.page.getByLabel(answers.leaveMessage === 'no' ? 'No, do not leave a message' : 'Yes, they can leave a message').check();
    await this.page.getByLabel('A code word (optional)').fill(answers.safeWord);
  }
}

export class RequestSentPage extends DirectoryPage {
  protected readonly heading = 'Request sent';
}

/** Any page, known by its main heading. */
export class ShownByHeading extends DirectoryPage {
  constructor(
    page: Page,
    protected readonly heading: string | RegExp,
  ) {
    super(page);
  }
}

/** Signs a demo persona in through the browser, as they would. */
export async function signInAs(page: Page, email: string): Promise<void> {
  const who = persona(email);
  const signIn = await SignInPage.open(page);
  await signIn.signIn(who.email, DEMO_PASSWORD);
  const code = await new CodePage(page).expectShown();
  await code.enterCode(currentTotpCode(who.totpSecret));
  await new ShownByHeading(page, who.name).expectShown();
}
