import fs from 'node:fs';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { BEFORE_US, NEUTRAL_SITE, PublicPage, readerOn } from './public-site.js';
import { FinderPage, ShownByHeading, RequestSentPage, ResultsPage, signInAs } from './directory-pages.js';

const SHOTS = 'test-results/directory';

describe('finding a service and asking it to call back, in a browser', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => rig.close());

  it('searches by place and need, reads why each service is listed, opens one and asks for a call back', { timeout: 120_000 }, async () => {
    const page = await rig.newPage();
    const finder = await FinderPage.open(page);
    const results = await finder.search('Margate', 'IDVA (independent domestic violence adviser)');
    // A town's results are at the stable address partners link to.
    expect(new URL(page.url()).search).toBe('?location=Margate&need=idva');
    expect(await results.resultNames()).toEqual(['Demo Margate Domestic Abuse Outreach (synthetic)', 'Demo Kent-wide IDVA Service (synthetic)']);
    expect(await results.reasonsFor('Demo Margate Domestic Abuse Outreach (synthetic)')).toEqual(['Covers Thanet', 'Based in Margate', 'Offers: IDVA (independent domestic violence adviser)']);
    await page.screenshot({ path: `${SHOTS}/results.png`, fullPage: true });

    const service = await results.open('Demo Margate Domestic Abuse Outreach (synthetic)');
    for (const section of ['What they offer', 'Who it is for', 'How to get help', 'Contact', 'Opening times', 'Where', 'Areas covered', 'Languages', 'Access']) {
      expect(await service.section(section).count(), section).toBe(1);
    }
    expect(await page.getByText(/Information checked on/).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/service.png`, fullPage: true });

    const form = await service.askForCallBack();
    await form.send();
    await form.expectErrors(['Enter a phone number, like 07700 900 982', 'Select when it is safe to call, or tell us in the box', 'Select whether they can leave a message']);
    await form.fillIn({ phone: '07700 900 456', times: ['Weekday evenings (5pm to 8pm)'], leaveMessage: 'no', safeWord: 'Kingfisher' });
    await form.send();
    await new RequestSentPage(page).expectShown();
    const confirmation = (await page.getByRole('main').textContent()) ?? '';
    for (const secret of ['07700', 'Kingfisher', 'Margate']) expect(confirmation).not.toContain(secret);
    expect(new URL(page.url()).pathname).toBe('/services/request-sent');
    expect(rig.problems).toEqual([]);
  });

  it('keeps a full postcode out of every address the browser visits, and so out of its history', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    const finder = await FinderPage.open(page);
    const results = await finder.search('CT9 1AA', 'IDVA (independent domestic violence adviser)');
    expect(await results.resultNames()).toContain('Demo Kent-wide IDVA Service (synthetic)');
    expect(await page.getByLabel('Town, postcode or area').inputValue()).toBe('CT9 1AA');
    await results.open('Demo Kent-wide IDVA Service (synthetic)');
    await page.getByRole('link', { name: 'Back to your results' }).click();
    await new ResultsPage(page).expectShown();
    expect(visited.length).toBeGreaterThanOrEqual(4);
    // Record ids and sealed searches are random letters and digits, which could spell part of a postcode by chance.
    const readable = visited.map((address) => decodeURIComponent(address.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').replace(/search=[^&]*/g, 'search=SEALED')).replace(/\+/g, ' ').toUpperCase());
    expect(readable.filter((address) => /CT9 ?1AA/.test(address))).toEqual([]);
    expect(readable.filter((address) => address.includes('SEARCH=SEALED')).length).toBeGreaterThanOrEqual(2);
    expect(rig.problems).toEqual([]);
  });

  it('keeps a whole visit to one place in Back: after reading several pages and searching, Back from the exit goes to where the reader was before us', { timeout: 60_000 }, async () => {
    const { page } = await readerOn(rig, '/');
    await page.getByLabel('Town, postcode or district').fill('Margate');
    await page.getByRole('button', { name: 'Find support' }).click();
    const results = await new PublicPage(page).expectShown('Services found');
    await page.getByRole('link', { name: 'Demo Margate Domestic Abuse Outreach (synthetic)' }).click();
    await new PublicPage(page).expectShown('Demo Margate Domestic Abuse Outreach (synthetic)');
    // A jump to a part of the page (the help-now numbers) is a step in Back too, unless replaced.
    await page.getByRole('link', { name: 'More helplines' }).click();
    expect(new URL(page.url()).hash).toBe('#help-now');
    const leaving = page.waitForURL(NEUTRAL_SITE);
    await results.exitButton().click();
    await leaving;
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    // Forward is the neutral site, not one of our pages either.
    await page.goForward();
    expect(page.url()).toBe(NEUTRAL_SITE);
    expect(rig.problems).toEqual([]);
  });

  it('shows a call-back request’s mistakes and its confirmation in the same place in Back, so Back never shows the form again', { timeout: 60_000 }, async () => {
    const { page } = await readerOn(rig, '/services?location=Margate&need=idva');
    await page.getByRole('link', { name: 'Demo Margate Domestic Abuse Outreach (synthetic)' }).click();
    await page.getByRole('link', { name: 'Ask for a safe call back' }).click();
    const form = await new PublicPage(page).expectShown('Ask for a safe call back');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.evaluate<string | undefined>('document.activeElement?.className')).toContain('govuk-error-summary');
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page);
    await page.getByLabel('A safe phone number').fill('07700 900 456');
    await page.getByLabel('Weekday evenings (5pm to 8pm)').check();
    await page.getByLabel('No, do not leave a message').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/services\/request-sent$/);
    await form.expectShown('Request sent');
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    expect(rig.problems).toEqual([]);
  });

  /** A reader on a call-back form, with the form's sending held back (or failed) as the test says. */
  async function atCallBackForm(sending: (route: Route) => Promise<void>, neutralSite: { hold?: Promise<void> } = {}) {
    const { page } = await readerOn(rig, '/services?location=Margate&need=idva', neutralSite);
    await page.route('**/call-back*', (route) => (route.request().method() === 'POST' ? sending(route) : route.continue()));
    await page.getByRole('link', { name: 'Demo Margate Domestic Abuse Outreach (synthetic)' }).click();
    await page.getByRole('link', { name: 'Ask for a safe call back' }).click();
    const form = await new PublicPage(page).expectShown('Ask for a safe call back');
    await page.getByLabel('A safe phone number').fill('07700 900 457');
    await page.getByLabel('Weekends').check();
    await page.getByLabel('No, do not leave a message').check();
    return { page, form };
  }

  it('leaves at once when Exit is pressed while a request is on its way, stopping it so its answer cannot bring the site back', { timeout: 60_000 }, async () => {
    const held = () => {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      return { promise, release };
    };
    const [post, neutral] = [held(), held()];
    const { page, form } = await atCallBackForm(
      async (route) => {
        await post.promise;
        await route.continue().catch(() => undefined); // stopped by the page: nothing to continue
      },
      { hold: neutral.promise },
    );
    await page.getByRole('button', { name: 'Send request' }).click();
    const stopped = page.waitForEvent('requestfailed', { predicate: (request) => request.method() === 'POST', timeout: 10_000 });
    // Both the request and the neutral site are held: the exit must not wait for either to stop the request.
    await form.exitButton().click({ noWaitAfter: true });
    await stopped;
    post.release();
    neutral.release();
    await page.waitForURL(NEUTRAL_SITE);
    await page.getByRole('heading', { name: 'Weather' }).waitFor();
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
  });

  it('says a request that could not be sent was not sent, keeps what was typed, and adds no step to Back', { timeout: 60_000 }, async () => {
    const { page } = await atCallBackForm((route) => route.abort('internetdisconnected'));
    const formUrl = page.url();
    await page.getByRole('button', { name: 'Send request' }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'Your request was not sent' });
    await notice.waitFor();
    expect(page.url()).toBe(formUrl);
    expect(await page.getByLabel('A safe phone number').inputValue()).toBe('07700 900 457');
    expect(await page.getByRole('button', { name: 'Send request' }).isEnabled()).toBe(true);
    // Focus is back on the button, to press again; a second failure is a new alert, so it is announced again.
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()')).toBe('Send request');
    // Browser code is passed as text: this project's TypeScript has no DOM types.
    await page.evaluate('document.querySelector(".app-not-sent").dataset.first = "yes"');
    // Sent again at once (GOV.UK's button ignores a second press within a second, as a double click).
    await page.evaluate('document.querySelector("form[data-not-sent]").requestSubmit(document.activeElement)');
    await page.locator('.app-not-sent[data-first]').waitFor({ state: 'detached' });
    await notice.waitFor();
    expect(await notice.count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
  });

  it('works with JavaScript off, and for a town in two areas offers both', { timeout: 60_000 }, async () => {
    // axe needs scripts to run, so this page reads without them and a second, ordinary page checks each address.
    const context = await rig.browser.newContext({ baseURL: rig.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/services');
    await page.getByLabel('Town, postcode or area').fill('Minster');
    await page.getByRole('main').getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Services found' }).waitFor();
    const visited = [page.url()];
    expect(await page.getByRole('link', { name: 'Minster, Swale' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Minster, Thanet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Services found' }).waitFor();
    visited.push(page.url());
    const names = await new ResultsPage(page).resultNames();
    expect(names).toContain('Demo Margate Domestic Abuse Outreach (synthetic)');
    expect(names).not.toContain('Demo Sittingbourne Domestic Abuse Outreach (synthetic)');
    await context.close();

    const checker = await rig.newPage();
    for (const [url, heading] of [
      [visited[0] ?? '', 'Services found'],
      [visited[1] ?? '', 'Services found'],
      ['/services?location=SW1A%201AA', 'That postcode is not in Kent or Medway'],
      ['/services?location=Margat', 'We could not find that place'],
      ['/services?location=Margate&need=perpetrator-programmes', 'No services found'],
      ['/services?location=&need=', 'Tell us where, or what help you need'],
      ['/services?location=Margate&lang=pl', 'Znalezione usługi'],
      ['/services?lang=easy-read', 'Find help near you'],
    ] as const) {
      await checker.goto(url);
      await new ShownByHeading(checker, heading).expectShown();
    }
    // What was typed is echoed back: even one long unbroken string wraps on a 320 px screen (400% zoom).
    await checker.setViewportSize({ width: 320, height: 640 });
    await checker.goto(`/services?location=${'Margatemargate'.repeat(12)}`);
    await new ShownByHeading(checker, 'We could not find that place').expectShown();
    expect(await checker.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
  });

  it('lets the receiving service read the request, and editors manage the directory, with accessible pages', { timeout: 120_000 }, async () => {
    const manager = await rig.newPage();
    await signInAs(manager, 'service@demo.invalid');
    // The home page says a request is waiting, and leads to it.
    await manager.goto('/app');
    await new ShownByHeading(manager, 'Demo Service Manager (synthetic)').expectShown();
    await manager.getByRole('link', { name: /new call-back requests? to arrange$/ }).click();
    await new ShownByHeading(manager, 'Call-back requests').expectShown();
    await manager.getByRole('table').getByRole('link').first().click();
    await new ShownByHeading(manager, 'Call-back request').expectShown();
    expect(await manager.getByText('07700 900 456').count()).toBe(1);
    expect(await manager.getByText('Do not leave a message.').count()).toBe(1);

    const editor = await rig.newPage();
    await signInAs(editor, 'editor@demo.invalid');
    for (const [path, heading] of [
      ['/app/directory', 'Service directory'],
      ['/app/directory/services/new', 'Add a service'],
      ['/app/directory/reviews', 'Services due for review'],
      ['/app/directory/organisations', 'Directory organisations'],
      ['/app/directory/locations', 'Directory locations'],
      ['/app/directory/locations/new', 'Add a directory location'],
    ] as const) {
      await editor.goto(path);
      await new ShownByHeading(editor, heading).expectShown();
    }
    await editor.goto('/app/directory?q=Hollowmere+Refuge');
    await editor.getByRole('link', { name: 'Demo Hollowmere Refuge (synthetic)' }).click();
    await new ShownByHeading(editor, 'Demo Hollowmere Refuge (synthetic)').expectShown();
    await editor.getByRole('link', { name: 'Edit' }).click();
    await new ShownByHeading(editor, 'Edit service: Demo Hollowmere Refuge (synthetic)').expectShown();
    await editor.goBack();
    await editor.getByRole('link', { name: 'History' }).click();
    await new ShownByHeading(editor, 'History').expectShown();
    expect(rig.problems).toEqual([]);
  });
});
