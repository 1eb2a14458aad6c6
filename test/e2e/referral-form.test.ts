import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { expectPageShown, signInAs } from './support/pages.js';

/** A practitioner's referral from the first page to the explained outcome, with axe on every page. */
describe('making a referral in a browser', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  const signedIn = (email: string) => signInAs(rig, email);
  const shown = expectPageShown;

  const saveAndContinue = (page: Page) => page.getByRole('button', { name: 'Save and continue' }).click();

  async function answerChecklistPage(page: Page, heading: string, yesTo: readonly number[]): Promise<void> {
    await shown(page, heading);
    const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: 'Not known' }) });
    const count = await groups.count();
    for (let index = 0; index < count; index += 1) {
      const group = groups.nth(index);
      const legend = (await group.locator('legend').textContent()) ?? '';
      const number = Number(/(\d+)\./.exec(legend)?.[1]);
      await group.getByRole('radio', { name: yesTo.includes(number) ? 'Yes' : 'No', exact: true }).check();
    }
    await saveAndContinue(page);
  }

  it('answers every page, checks the answers and sees which criteria were met and why each service received it', { timeout: 240_000 }, async () => {
    const page = await signedIn('practitioner@demo.invalid');
    await page.getByRole('navigation').getByRole('link', { name: 'Referrals' }).click();
    await shown(page, 'Your referrals');
    await page.getByRole('button', { name: 'Make a referral' }).click();
    await shown(page, 'The person at risk');

    await saveAndContinue(page);
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page);

    await page.getByLabel('First name').fill('Test Person');
    await page.getByLabel('Last name').fill('Browser-Uniform');
    await page.getByRole('group', { name: /Date of birth/ }).getByLabel('Day').fill('9');
    await page.getByRole('group', { name: /Date of birth/ }).getByLabel('Month').fill('10');
    await page.getByRole('group', { name: /Date of birth/ }).getByLabel('Year').fill('1988');
    await page.getByLabel('District they live in').selectOption({ label: 'Medway' });
    await saveAndContinue(page);

    await shown(page, 'Contacting them safely');
    await page.getByRole('group', { name: 'Is it safe to contact them?' }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByLabel('Safe phone number (optional)').fill('07700 900777');
    await page.getByRole('group', { name: 'May we leave a message?' }).getByRole('radio', { name: 'No', exact: true }).check();
    await saveAndContinue(page);

    await shown(page, 'Children and other dependants');
    await page.getByRole('group', { name: 'Do any children live in the household?' }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByRole('group', { name: /Do any other adults depend/ }).getByRole('radio', { name: 'No', exact: true }).check();
    await page.locator('#children-0-name').fill('Test Child Victor');
    // Another child: the page comes back with the cursor in the new row's first box, as GOV.UK's add-another does.
    await page.getByRole('button', { name: 'Save and add another child' }).click();
    await shown(page, 'Children and other dependants');
    await page.locator('#children-1-name').waitFor();
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.id : ""')).toBe('children-1-name');
    await page.locator('#children-1-name').fill('Test Child Whiskey');
    // Enter in a field continues, as "Save and continue" does, not "Save and add another child" (first on the page).
    await page.locator('#children-1-name').press('Enter');

    await shown(page, 'What support might they need?');
    await page.getByRole('checkbox', { name: 'Somewhere safe to stay, such as a refuge' }).check();
    await saveAndContinue(page);

    await shown(page, 'The person causing harm');
    await page.getByLabel('First name, or what they are known as').fill('Test Harm-Causer');
    await page.getByRole('radio', { name: 'Former partner' }).check();
    await saveAndContinue(page);

    await answerChecklistPage(page, 'Injuries, fear and isolation', [1, 2, 3, 5]);
    await answerChecklistPage(page, 'Separation, children and harassment', [8]);
    await answerChecklistPage(page, 'Violence and threats', [14]);
    await answerChecklistPage(page, 'About the person causing harm', []);

    await shown(page, 'Recent incidents');
    await saveAndContinue(page);
    await shown(page, 'Professional judgement');
    // Question 5 was answered "yes"; the local criterion is the practitioner's judgement of a high risk, asked here.
    await page.getByRole('group', { name: 'Is the person at high risk of serious harm from the person causing harm?' }).getByRole('radio', { name: 'No', exact: true }).check();
    await page.getByRole('group', { name: 'Is the person at high risk of suicide or self-harm because of the abuse?' }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByRole('group', { name: 'Are you referring on professional judgement?' }).getByRole('radio', { name: 'No', exact: true }).check();
    await saveAndContinue(page);
    await shown(page, 'Consent to share');
    await page.getByRole('radio', { name: 'Yes, they agreed to this referral' }).check();
    await saveAndContinue(page);
    await shown(page, 'Equality monitoring (optional)');
    await saveAndContinue(page);
    await shown(page, 'Your details');
    await saveAndContinue(page);

    await shown(page, 'Check your answers before sending the referral');
    expect(await page.getByText('Test Child Victor').count()).toBe(1);
    await page.getByRole('button', { name: 'Send referral' }).click();

    await shown(page, 'Referral sent');
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('High risk of serious harm, or of suicide or self-harm');
    expect(await main.getByRole('heading', { name: 'Kent and Medway MARAC Hub' }).count()).toBe(1);
    expect(await main.getByRole('heading', { name: 'Demo Medway Domestic Abuse Service (synthetic)' }).count()).toBe(1);
    expect(await main.getByRole('heading', { name: 'Medway Council' }).count()).toBe(1);
    expect(await main.getByRole('heading', { name: 'Demo Medway Safe Accommodation Service (synthetic)' }).count()).toBe(1);
    await page.getByRole('link', { name: 'View the referral' }).click();
    await shown(page, /^Referral R-/);
    expect(await page.getByText('Test Person Browser-Uniform').count()).toBeGreaterThan(0);
    expect(rig.problems).toEqual([]);
  });

  it('shows the API key pages without accessibility problems', { timeout: 120_000 }, async () => {
    const page = await signedIn('orgadmin@demo.invalid');
    await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
    await shown(page, 'API keys');
    await page.getByRole('button', { name: 'Create an API key' }).click();
    await shown(page, 'Create an API key');
    await page.getByLabel('Name for the key').fill('Browser test system');
    await page.getByRole('button', { name: 'Create key' }).click();
    await shown(page, 'API key created');
    expect(await page.getByLabel('API key').inputValue()).toMatch(/^dapk_/);
    await page.getByRole('link', { name: 'Back to API keys' }).click();
    await shown(page, 'API keys');
    await page.getByRole('link', { name: /Revoke/ }).first().click();
    await shown(page, 'Revoke this API key?');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await shown(page, 'API keys');
    expect(rig.problems).toEqual([]);
  });
});
