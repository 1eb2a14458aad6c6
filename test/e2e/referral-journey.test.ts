import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { londonParts } from '../../src/platform/time/london.js';
import { persona } from '../support/visitor.js';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { CodePage, SignInPage } from './support/pages.js';
import { answerChecklist, InboxPage, QuestionPage } from './referral-journey.pages.js';

/**
 * One referral all the way: a police practitioner fills in the referral form page by page, checks the answers and
 * sends it; the demo support service (Dartford's commissioned service) finds it in its inbox, accepts it, logs
 * the first contact and records the outcome; the practitioner then sees where it stands. Axe runs on every page.
 */
describe('a referral from the first page of the form to the receiving service’s outcome', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  async function signIn(page: Page, email: string): Promise<void> {
    const signInPage = await SignInPage.open(page);
    await signInPage.signIn(email, DEMO_PASSWORD);
    await new CodePage(page).expectShown();
    await new CodePage(page).enterCode(currentTotpCode(persona(email).totpSecret));
    await page.waitForURL(/\/app$/);
    await expectNoAxeViolations(page);
  }

  it('is made, routed, received, accepted, contacted and closed with an outcome', { timeout: 240_000 }, async () => {
    // ---- The practitioner makes the referral.
    const practitioner = await rig.newPage();
    await signIn(practitioner, 'practitioner@demo.invalid');
    await practitioner.getByRole('navigation').getByRole('link', { name: 'Referrals', exact: true }).click();
    await QuestionPage.expect(practitioner, 'Your referrals');
    await practitioner.getByRole('button', { name: 'Make a referral' }).click();

    const person = await QuestionPage.expect(practitioner, 'The person at risk');
    await person.fill('First name', 'Test Person');
    await person.fill('Last name', 'Journey-Echo');
    await person.date('Date of birth (optional if not known)', '14', '2', '1988');
    await person.choose('Gender (optional)', 'Woman');
    await person.fill('Phone number (optional)', '07700 900777');
    await practitioner.getByLabel('District they live in').selectOption({ label: 'Dartford' });
    await person.saveAndContinue();

    const safe = await QuestionPage.expect(practitioner, 'Contacting them safely');
    await safe.choose('Is it safe to contact them?', 'Yes');
    await safe.fill('Safe phone number (optional)', '07700 900778');
    await safe.fill('Safe times to call (optional)', 'Weekday mornings (synthetic)');
    await safe.choose('May we leave a message?', 'No');
    await safe.saveAndContinue();

    const household = await QuestionPage.expect(practitioner, 'Children and other dependants');
    await household.choose(/Do any children live in the household/, 'No');
    await household.choose(/Do any other adults depend/, 'No');
    await household.saveAndContinue();

    const needs = await QuestionPage.expect(practitioner, 'What support might they need?');
    await practitioner.getByLabel('None of these').check();
    await needs.saveAndContinue();

    const harm = await QuestionPage.expect(practitioner, 'The person causing harm');
    await harm.fill('First name, or what they are known as', 'Test Harm-Causer');
    await harm.fill('Last name (optional)', 'Journey-Echo');
    await harm.choose('How are they related to the person at risk?', 'Former partner');
    await harm.saveAndContinue();

    // 15 "yes" answers: visible high risk, so MARAC and an IDVA from the district's commissioned service.
    await answerChecklist(practitioner, 15);

    const incidents = await QuestionPage.expect(practitioner, 'Recent incidents');
    await incidents.saveAndContinue();
    const judgement = await QuestionPage.expect(practitioner, 'Professional judgement');
    await judgement.choose('Is the person at high risk of serious harm from the person causing harm?', 'No');
    await judgement.choose('Is the person at high risk of suicide or self-harm because of the abuse?', 'No');
    await judgement.choose('Are you referring on professional judgement?', 'No');
    await judgement.saveAndContinue();
    const consent = await QuestionPage.expect(practitioner, 'Consent to share');
    await consent.choose('Did they agree to this referral?', 'Yes, they agreed to this referral');
    await consent.saveAndContinue();
    const equality = await QuestionPage.expect(practitioner, 'Equality monitoring (optional)');
    await equality.saveAndContinue();
    const referrer = await QuestionPage.expect(practitioner, 'Your details');
    await referrer.fill('Phone number to reach you (optional)', '01632 960 003');
    await referrer.saveAndContinue();

    await QuestionPage.expect(practitioner, /Check your answers/);
    await expect(practitioner.getByText('Journey-Echo').first().isVisible()).resolves.toBe(true);
    await practitioner.getByRole('button', { name: 'Send referral' }).click();

    await QuestionPage.expect(practitioner, /Referral sent/);
    const main = practitioner.getByRole('main');
    await expect(main.getByText('Visible high risk').first().isVisible()).resolves.toBe(true);
    await expect(main.getByRole('heading', { name: 'Kent and Medway MARAC Hub' }).isVisible()).resolves.toBe(true);
    await expect(main.getByRole('heading', { name: 'Demo Domestic Abuse Support Service (synthetic)' }).isVisible()).resolves.toBe(true);
    const reference = /R-[2-9B-DF-HJ-NP-TV-Z]{4}-[2-9B-DF-HJ-NP-TV-Z]{4}/.exec((await main.textContent()) ?? '')?.[0];
    expect(reference).toBeDefined();
    const referralUrl = practitioner.url().replace(/\/sent$/, '');

    // ---- The receiving service works it from its inbox.
    const service = await rig.newPage();
    await signIn(service, 'service@demo.invalid');
    await service.getByRole('navigation').getByRole('link', { name: 'Referrals inbox' }).click();
    const inbox = await new InboxPage(service).expectShown();
    const row = inbox.row(reference ?? '');
    await expect(row.textContent()).resolves.toMatch(/High[\s\S]*Independent Domestic Violence Adviser \(IDVA\)[\s\S]*Dartford[\s\S]*New/);

    const received = await inbox.open(reference ?? '');
    await expect(service.getByText('Test Person Journey-Echo').isVisible()).resolves.toBe(true);
    await expect(service.getByText('Weekday mornings (synthetic)').isVisible()).resolves.toBe(true);
    await expect(service.getByText('15 of 24').isVisible()).resolves.toBe(true);
    // Accept (a form's button) and Decline (a link styled as one) side by side, on one line.
    const tops = await Promise.all(['Accept referral', 'Decline referral'].map(async (name) => (await service.getByRole('button', { name }).boundingBox())?.y));
    expect(tops[0]).toBe(tops[1]);
    await received.act('Accept referral');
    await received.expectNotice('Referral accepted');
    await expect(received.status('Status').textContent()).resolves.toContain('Accepted');

    await received.act('Log a contact attempt');
    const contact = await QuestionPage.expect(service, 'Log a contact attempt');
    // Saved without the answers: every problem is listed at once.
    await service.getByRole('button', { name: 'Save contact attempt' }).click();
    await contact.expectError('Enter the time of the contact attempt');
    await contact.expectError('Select how you tried to contact them');
    const now = londonParts(new Date());
    await contact.fill('Time', `${String(now.hour).padStart(2, '0')}:${String(now.minute).padStart(2, '0')}`);
    await contact.choose('How did you try to contact them?', 'Phone call');
    await contact.choose('Did you speak to them?', 'Yes');
    await contact.fill('Notes (optional)', 'Spoke at a safe time; agreed support (synthetic).');
    await service.getByRole('button', { name: 'Save contact attempt' }).click();
    await received.expectShown();
    await received.expectNotice('Contact attempt logged');
    await expect(received.status('Status').textContent()).resolves.toContain('In contact');
    await expect(received.status('First contact made').textContent()).resolves.not.toContain('Not yet');

    await received.act('Record the outcome');
    const outcome = await QuestionPage.expect(service, 'Record the outcome');
    await outcome.choose('What is the outcome?', 'Closed after support');
    await service.getByLabel('Safety plan in place').check();
    await service.getByLabel('Moved to safe accommodation').check();
    await service.getByRole('button', { name: 'Save outcome' }).click();
    await received.expectShown();
    await received.expectNotice('Outcome recorded');
    await expect(received.status('Outcome').textContent()).resolves.toContain('Closed after support: Safety plan in place, Moved to safe accommodation');
    await expect(service.getByText('There is nothing more to do').isVisible()).resolves.toBe(true);

    // ---- The MARAC route reached the Hub's inbox the same way.
    const hub = await rig.newPage();
    await signIn(hub, 'marac@demo.invalid');
    await hub.goto('/app/inbox');
    await expect((await new InboxPage(hub).expectShown()).row(reference ?? '').textContent()).resolves.toContain('MARAC');

    // ---- The practitioner sees where the referral stands.
    await practitioner.goto(referralUrl);
    await QuestionPage.expect(practitioner, `Referral ${reference ?? ''}`);
    const card = practitioner.locator('.govuk-summary-card').filter({ has: practitioner.getByRole('heading', { name: 'Demo Domestic Abuse Support Service (synthetic)' }) });
    await expect(card.textContent()).resolves.toContain('Closed');

    expect(rig.problems).toEqual([]);
  });
});
