import type { Locator, Page } from 'playwright-core';
import { expectNoAxeViolations } from './support/browser.js';
import { ShownPage } from './support/pages.js';

/**
 * Page objects for the referral journey: the practitioner's question pages (REFERRALS' form) and the receiving
 * service's inbox. Each finds things by role and label, and every page shown is checked with axe.
 */

/** Any page of the referral form: shown by its heading, answered by label, saved with "Save and continue". */
export class QuestionPage extends ShownPage {
  constructor(
    page: Page,
    protected readonly heading: string | RegExp,
  ) {
    super(page);
  }

  static async expect(page: Page, heading: string | RegExp): Promise<QuestionPage> {
    return new QuestionPage(page, heading).expectShown();
  }

  group(legend: string | RegExp): Locator {
    return this.page.getByRole('group', { name: legend });
  }

  async fill(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(value);
  }

  async choose(legend: string | RegExp, option: string): Promise<void> {
    await this.group(legend).getByLabel(option, { exact: true }).check();
  }

  async date(legend: string | RegExp, day: string, month: string, year: string): Promise<void> {
    const group = this.group(legend);
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  }

  async saveAndContinue(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and continue' }).click();
  }
}

/** The four checklist pages: the first `yes` questions answered "Yes", the rest "No". */
export async function answerChecklist(page: Page, yes: number): Promise<void> {
  let answered = 0;
  for (let part = 1; part <= 4; part += 1) {
    await page.getByText(`Risk checklist, part ${String(part)} of 4`).waitFor();
    const checklist = await QuestionPage.expect(page, /./);
    const questions = page.getByRole('group', { name: /^\d+\. / });
    const count = await questions.count();
    for (let index = 0; index < count; index += 1) {
      await questions.nth(index).getByLabel(answered < yes ? 'Yes' : 'No', { exact: true }).check();
      answered += 1;
    }
    await checklist.saveAndContinue();
  }
}

export class InboxPage extends ShownPage {
  protected readonly heading = 'Referrals inbox';

  row(reference: string): Locator {
    return this.page.getByRole('row').filter({ hasText: reference });
  }

  async open(reference: string): Promise<ReceivedReferralPage> {
    await this.page.getByRole('link', { name: reference }).click();
    return new ReceivedReferralPage(this.page, reference).expectShown();
  }
}

export class ReceivedReferralPage extends ShownPage {
  protected readonly heading: string;

  constructor(page: Page, reference: string) {
    super(page);
    this.heading = `Referral ${reference}`;
  }

  status(key: string): Locator {
    return this.page.locator('.govuk-summary-list__row').filter({ has: this.page.getByText(key, { exact: true }) }).locator('.govuk-summary-list__value').first();
  }

  async act(name: string): Promise<void> {
    const control = this.page.getByRole('main').getByRole('button', { name }).or(this.page.getByRole('main').getByRole('link', { name }));
    await control.first().click();
    await this.page.waitForLoadState('load');
  }

  async expectNotice(text: string): Promise<void> {
    await this.page.getByRole('region', { name: 'Success' }).or(this.page.getByRole('alert')).filter({ hasText: text }).first().waitFor();
    await expectNoAxeViolations(this.page);
  }
}
