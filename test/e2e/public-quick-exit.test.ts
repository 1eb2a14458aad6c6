import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { BEFORE_US, NEUTRAL_SITE, PublicPage, readerOn, stubOtherSites } from './public-site.js';

describe('Exit this page', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig({ demo: false });
  });
  afterAll(() => rig.close());

  it('leaves for the neutral site when the button is pressed, blanking our page at once, and Back does not return to it', { timeout: 60_000 }, async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { page, ours } = await readerOn(rig, '/clares-law', { hold });

    // The page reports what a person looking at the screen would see the moment the exit starts (the page
    // cannot be asked afterwards: it is on its way out).
    let reported: (state: { title: string; headingShown: boolean }) => void = () => {};
    const blanked = new Promise<{ title: string; headingShown: boolean }>((resolve) => {
      reported = resolve;
    });
    await page.exposeFunction('reportBlanked', (state: { title: string; headingShown: boolean }) => {
      reported(state);
    });
    // Browser code is passed as text: this project's TypeScript has no DOM types.
    await page.evaluate(`new MutationObserver(() => {
      if (!document.body.classList.contains('govuk-exit-this-page-hide-content')) return;
      const heading = document.querySelector('h1');
      window.reportBlanked({ title: document.title, headingShown: heading !== null && getComputedStyle(heading).display !== 'none' });
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] })`);

    const leaving = page.waitForURL(NEUTRAL_SITE);
    // The neutral site is held back, so the click must not wait for the navigation it starts.
    await ours.exitButton().click({ noWaitAfter: true });
    // Before the neutral site has even answered, nothing of our page is visible and the tab title says nothing.
    expect(await blanked).toEqual({ title: 'Loading.', headingShown: false });
    release();
    await leaving;
    await page.getByRole('heading', { name: 'Weather' }).waitFor();
    await expectNoAxeViolations(page);

    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    expect(page.url()).not.toContain(rig.baseUrl);
    expect(rig.problems).toEqual([]);
  });

  it('is on the plain page for an address too broken for the site to read, and leaves from it as from any page', { timeout: 60_000 }, async () => {
    const { page, ours } = await readerOn(rig, '/services/%E0%A4%A/call-back');
    expect(await page.title()).toBe('Bad request');
    const leaving = page.waitForURL(NEUTRAL_SITE);
    await ours.exitButton().click();
    await leaving;
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    expect(rig.problems).toEqual([]);
  });

  it('leaves when Shift is pressed three times, saying how many presses are left', { timeout: 60_000 }, async () => {
    const { page } = await readerOn(rig, '/staying-safe');
    const status = page.locator('.govuk-exit-this-page [role="status"]');
    await page.keyboard.press('Shift');
    expect(await status.textContent()).toBe('Shift, press 2 more times to exit.');
    expect(await page.locator('.govuk-exit-this-page__indicator-light--on').count()).toBe(1);
    await page.keyboard.press('Shift');
    expect(await status.textContent()).toBe('Shift, press 1 more time to exit.');
    const leaving = page.waitForURL(NEUTRAL_SITE);
    await page.keyboard.press('Shift');
    await leaving;
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    expect(rig.problems).toEqual([]);
  });

  it('leaves when the button is pressed with Space, as a button is, and Back does not return to our page', { timeout: 60_000 }, async () => {
    const { page, ours } = await readerOn(rig, '/staying-safe');
    await ours.exitButton().focus();
    const leaving = page.waitForURL(NEUTRAL_SITE);
    await page.keyboard.press('Space');
    await leaving;
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
    expect(rig.problems).toEqual([]);
  });

  it('stays in view on a phone over the help-now numbers, down to the end of the page', { timeout: 60_000 }, async () => {
    const { page, ours } = await readerOn(rig, '/clares-law');
    await page.setViewportSize({ width: 375, height: 667 });
    // A touch screen has no Shift key: the button is the only way out wherever the reader has scrolled to.
    await expectNoAxeViolations(page);
    for (const scrolled of ['document.querySelector("#help-now").scrollIntoView()', 'window.scrollTo(0, document.body.scrollHeight)']) {
      await page.evaluate(scrolled);
      const box = await ours.exitButton().boundingBox();
      expect(box).not.toBeNull();
      expect(box?.y).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 667) + (box?.height ?? 0)).toBeLessThanOrEqual(667);
    }
  });

  it('never covers a place jumped to, whatever the reader’s text size', { timeout: 60_000 }, async () => {
    const { page, ours } = await readerOn(rig, '/clares-law');
    await page.setViewportSize({ width: 320, height: 256 });
    // WCAG 1.4.12's text spacing, which a reader's own style sheet may set (the button grows taller with it).
    await page.evaluate(`document.styleSheets[0].insertRule('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important }', document.styleSheets[0].cssRules.length)`);
    for (const textSize of ['100%', '200%']) {
      // The reader's text size, as a browser's font size setting sets it.
      await page.evaluate(`document.documentElement.style.fontSize = ${JSON.stringify(textSize)}`);
      await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await page.getByRole('link', { name: 'More helplines' }).click();
      const button = await ours.exitButton().boundingBox();
      const landed = await page.locator('#help-now').boundingBox();
      expect(landed?.y, `text at ${textSize}`).toBeGreaterThanOrEqual((button?.y ?? 0) + (button?.height ?? Infinity));
    }
  });

  it('does not count Shift used to type a capital letter', { timeout: 60_000 }, async () => {
    const { page } = await readerOn(rig, '/');
    await page.getByLabel('Town, postcode or district').click();
    await page.keyboard.type('ME14 Maidstone');
    expect(page.url()).toBe(`${rig.baseUrl}/`);
    expect(await page.locator('.govuk-exit-this-page__indicator-light--on').count()).toBe(0);
  });

  it('leaves from the skip link, the second thing a keyboard user reaches, in the reader’s language', { timeout: 60_000 }, async () => {
    const { page } = await readerOn(rig, '/what-is-domestic-abuse?lang=pl');
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Przejdź do treści');
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Opuść tę stronę');
    const leaving = page.waitForURL(NEUTRAL_SITE);
    await page.keyboard.press('Enter');
    await leaving;
    await page.goBack();
    expect(page.url()).toBe(BEFORE_US);
  });

  it('still leaves without JavaScript, as a plain link that says it is one', { timeout: 60_000 }, async () => {
    const context = await rig.browser.newContext({ baseURL: rig.baseUrl, javaScriptEnabled: false });
    try {
      await stubOtherSites(context);
      const page = await context.newPage();
      await PublicPage.open(page, '/worried-about-someone', false);
      // A link, and announced as one: a button that Space cannot press would leave someone on this page.
      expect(await page.getByRole('button', { name: 'Exit this page' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Exit this page' }).last().click();
      await page.waitForURL(NEUTRAL_SITE);
      await page.getByRole('heading', { name: 'Weather' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
