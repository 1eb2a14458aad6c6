import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserRig, type BrowserRig } from './support/browser.js';
import { expectPageShown, signInAs } from './support/pages.js';

/** 400% zoom of a 1280-pixel window (WCAG 1.4.10). */
const NARROW = { width: 320, height: 800 };
/** WCAG 2.5.8: a target smaller than 24 by 24 px passes if a 24 px circle around it overlaps no other target's. */
const MIN_TARGET_SPACING = 24;

/**
 * The smallest distance between the centres of two showing links in the same `group` (each element matching that
 * selector); Infinity where no group has two.
 */
function closestLinks(page: Page, group: string): Promise<number> {
  // Browser code is passed as text: this project's TypeScript has no DOM types.
  return page.evaluate<number>(`Math.min(...[...document.querySelectorAll(${JSON.stringify(group)})].flatMap((group) => {
    const centres = [...group.querySelectorAll('a')].map((link) => link.getBoundingClientRect()).filter((box) => box.width > 0).map((box) => [box.x + box.width / 2, box.y + box.height / 2]);
    return centres.flatMap(([x1, y1], i) => centres.slice(i + 1).map(([x2, y2]) => Math.hypot(x2 - x1, y2 - y1)));
  }))`);
}

/**
 * Staff pages with tables, read on a phone-sized window: a wide table scrolls in its own box and the page never
 * scrolls sideways; links grouped together stay far enough apart to tap one at a time. Axe on every page.
 */
describe('staff pages at 320 CSS pixels wide', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  async function narrowSignedIn(email: string): Promise<Page> {
    const page = await signInAs(rig, email);
    await page.setViewportSize(NARROW);
    return page;
  }

  async function expectReflows(page: Page, path: string, heading: string | RegExp): Promise<void> {
    await page.goto(path);
    await expectPageShown(page, heading);
    // Browser code is passed as text: this project's TypeScript has no DOM types.
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(NARROW.width);
  }

  /** Within each group of actions (one table row's, say), no two links are closer than WCAG 2.5.8 allows. */
  async function expectActionsApart(page: Page): Promise<void> {
    expect(await page.locator('.app-action-list').count(), `${page.url()} has grouped actions`).toBeGreaterThan(0);
    expect(await closestLinks(page, '.app-action-list'), `actions on ${page.url()}`).toBeGreaterThanOrEqual(MIN_TARGET_SPACING);
  }

  it('administration pages', { timeout: 120_000 }, async () => {
    const page = await narrowSignedIn('admin@demo.invalid');
    await expectReflows(page, '/app/admin/areas', 'Areas');
    await expectReflows(page, '/app/admin/postcode-districts', 'Postcode districts');
    await expectReflows(page, '/app/api-keys', 'API keys');
    // Its table was already in a scroll box; the hidden text of its links escaped the box until it was positioned.
    await expectReflows(page, '/app/admin/organisations', 'Organisations');
    await expectActionsApart(page);

    const user = await rig.platform.services.users.findByEmail('practitioner@demo.invalid');
    await expectReflows(page, `/app/admin/users/${user?.id ?? ''}/disable`, /^Disable .*’s account$/);
    await expectReflows(page, '/app/account/password', 'Change your password');
    // The redirect URI to copy is one long word: it wraps anywhere rather than widening the page.
    const organisation = await rig.platform.services.reference.getOrganisationBySlug('ashford-bc');
    await expectReflows(page, `/app/admin/organisations/${organisation?.id ?? ''}/single-sign-on`, /single sign-on/i);
    // On a phone the breadcrumbs show only their first and last steps, on one line, well apart.
    expect(await page.locator('.govuk-breadcrumbs__link:visible').count()).toBe(2);
    expect(await closestLinks(page, '.govuk-breadcrumbs')).toBeGreaterThanOrEqual(MIN_TARGET_SPACING);
    expect(rig.problems).toEqual([]);
  });

  it('routing rules and public site content', { timeout: 120_000 }, async () => {
    const page = await narrowSignedIn('officer@demo.invalid');
    await expectReflows(page, '/app/routing-rules', 'Routing rules');
    await expectReflows(page, '/app/routing-rules/kent', /routing rules$/);
    await expectReflows(page, '/app/routing-rules/kent/versions/1', /routing rules, version 1$/);
    await expectReflows(page, '/app/routing-rules/medway', /routing rules$/);
    await expectReflows(page, '/app/routing-rules/kent/edit', /routing rules$/);
    await page.getByLabel('Number of “yes” answers that sends a referral to MARAC').fill('10');
    await page.getByRole('button', { name: 'Save draft and preview' }).click();
    await expectPageShown(page, /routing rules, version 2$/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth'), 'the preview scrolls sideways').toBeLessThanOrEqual(NARROW.width);
    await expectReflows(page, '/app/content', 'Public site content');
    await expectReflows(page, '/app/content/helplines', 'Help-now phone numbers');

    const home = await rig.platform.services.db.kysely.selectFrom('support_pages').select('id').where('slug', '=', 'home').where('lang', '=', 'en').executeTakeFirstOrThrow();
    await expectReflows(page, `/app/content/pages/${home.id}/history`, 'Page history');
    const pathway = await rig.platform.services.db.kysely.selectFrom('support_pages').select('id').where('slug', '=', 'referral-pathway').where('lang', '=', 'en').executeTakeFirstOrThrow();
    await expectReflows(page, `/app/content/pages/${pathway.id}/preview`, 'Published version');
    await expectReflows(page, `/app/content/pages/${pathway.id}/withdraw`, 'Take this page off the site');
    expect(rig.problems).toEqual([]);
  });

  it('service directory', { timeout: 120_000 }, async () => {
    const page = await narrowSignedIn('editor@demo.invalid');
    await expectReflows(page, '/app/directory', 'Service directory');
    await expectReflows(page, '/app/directory/organisations', 'Directory organisations');
    await expectReflows(page, '/app/directory/locations', 'Directory locations');
    await expectReflows(page, '/app/directory/reviews', 'Services due for review');

    const latestChange = (recordType: 'service' | 'organisation') =>
      rig.platform.services.db.kysely.selectFrom('directory_history').select('record_id').where('record_type', '=', recordType).orderBy('at', 'desc').executeTakeFirstOrThrow();
    await expectReflows(page, `/app/directory/services/${(await latestChange('service')).record_id}/history`, 'History');
    await expectReflows(page, `/app/directory/organisations/${(await latestChange('organisation')).record_id}/history`, 'History');
    const published = await rig.platform.services.db.kysely.selectFrom('directory_services').select('id').where('publication', '=', 'published').executeTakeFirstOrThrow();
    await expectReflows(page, `/app/directory/services/${published.id}/withdraw`, 'Withdraw this service from the public site');
    expect(rig.problems).toEqual([]);
  });

  it('the home page: what is waiting, far enough apart to tap, and a long name that wraps', { timeout: 120_000 }, async () => {
    const page = await narrowSignedIn('service@demo.invalid');
    const manager = await rig.platform.services.users.findByEmail('service@demo.invalid');
    const longName = 'Synthetic Wolfeschlegelsteinhausenbergerdorff';
    await rig.platform.services.db.kysely.updateTable('users').set({ name_enc: rig.platform.services.crypto.encrypt(longName) }).where('id', '=', manager?.id ?? '').execute();
    await expectReflows(page, '/app', longName);
    await page.getByRole('heading', { name: 'Waiting for you' }).waitFor();
    expect(await page.locator('main .govuk-list a').count()).toBeGreaterThan(1);
    expect(await closestLinks(page, 'main .govuk-list')).toBeGreaterThanOrEqual(MIN_TARGET_SPACING);
    expect(rig.problems).toEqual([]);
  });

  it('keeps the one-word labels of inline choices whole at full width', { timeout: 120_000 }, async () => {
    const page = await signInAs(rig, 'officer@demo.invalid');
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [path, heading] of [['/app/routing-rules/kent/edit', /routing rules$/], ['/app/reports/referrals', 'Referral reports']] as const) {
      await page.goto(path);
      await expectPageShown(page, heading);
      // For each label, the most lines any one of its words is laid out on: one, unless a word was split.
      const lines = await page.evaluate<number[]>(`[...document.querySelectorAll('.govuk-radios--inline .govuk-radios__label')].map((label) => {
        const text = label.firstChild;
        let most = 0;
        for (const word of text.textContent.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          most = Math.max(most, new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size);
        }
        return most;
      })`);
      expect(lines.length, `${path} has inline choices`).toBeGreaterThan(0);
      expect(Math.max(...lines), `a word of a label on ${path} is split over lines`).toBe(1);
    }
    expect(rig.problems).toEqual([]);
  });

  it('a practitioner’s drafts, with Continue and Delete far enough apart to tap', { timeout: 120_000 }, async () => {
    const page = await narrowSignedIn('practitioner@demo.invalid');
    await page.goto('/app/referrals');
    await page.getByRole('button', { name: 'Make a referral' }).click();
    await expectPageShown(page, 'The person at risk');
    await page.getByLabel('First name').fill('Narrow');
    await page.getByLabel('Last name').fill('Screen-Draft');
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    await expectReflows(page, '/app/referrals?saved=1', 'Your referrals');
    await expectActionsApart(page);
    expect(rig.problems).toEqual([]);
  });
});
