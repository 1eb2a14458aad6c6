import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededPublicPaths } from '../../src/modules/support/content-files.js';
import { startBrowserRig, type BrowserRig } from './support/browser.js';
import { PublicPage } from './public-site.js';

const PAGES = seededPublicPaths();
const LANGUAGES = ['', '?lang=easy-read', '?lang=pl'];

describe('reading the public site', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig({ demo: false });
  });
  afterAll(() => rig.close());

  it('passes axe on every page in every language at 320 pixels wide (400% zoom) without scrolling sideways, setting no cookie and asking no other site for anything', { timeout: 240_000 }, async () => {
    const page = await rig.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(rig.baseUrl)) elsewhere.push(request.url());
    });
    for (const path of PAGES) {
      for (const query of LANGUAGES) {
        const shown = await PublicPage.open(page, path + query);
        await shown.expectNoSidewaysScroll();
        expect(await shown.helpNowNumbers()).toEqual(expect.arrayContaining(['tel:999', 'tel:101', 'tel:08082000247', 'tel:08088010327', 'tel:08081689276', 'tel:18001101']));
      }
    }
    expect(elsewhere).toEqual([]);
    expect(await page.context().cookies()).toEqual([]);
    expect(rig.problems).toEqual([]);
  });

  it('passes axe on every English page at desktop width', { timeout: 120_000 }, async () => {
    const page = await rig.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const path of PAGES) await PublicPage.open(page, path);
    expect(rig.problems).toEqual([]);
  });

  it('switches language and stays on the same page, and links then keep the language', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    const reader = await PublicPage.open(page, '/staying-safe-online');
    await reader.switchLanguage('Polski');
    await reader.expectShown('Bezpieczeństwo w internecie');
    expect(page.url()).toBe(`${rig.baseUrl}/staying-safe-online?lang=pl`);
    expect(await page.locator('html').getAttribute('lang')).toBe('pl');

    await reader.switchLanguage('Easy read');
    await reader.expectShown('Keeping safe on the internet');
    expect(page.url()).toBe(`${rig.baseUrl}/staying-safe-online?lang=easy-read`);

    await page.getByRole('navigation', { name: 'Main sections' }).getByRole('link', { name: 'What is abuse?' }).click();
    await reader.expectShown('What is domestic abuse?');
    expect(page.url()).toBe(`${rig.baseUrl}/what-is-domestic-abuse?lang=easy-read`);
    expect(await page.getByText('Hitting, kicking or pushing you.').isVisible()).toBe(true);

    await reader.switchLanguage('English');
    await reader.expectShown('What is domestic abuse?');
    expect(page.url()).toBe(`${rig.baseUrl}/what-is-domestic-abuse`);
    expect(rig.problems).toEqual([]);
  });

  it('works with JavaScript switched off: topics, languages, footer and the finder form', { timeout: 60_000 }, async () => {
    const context = await rig.browser.newContext({ baseURL: rig.baseUrl, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const reader = await PublicPage.open(page, '/', false);
      await page.getByRole('link', { name: 'Worried about someone' }).click();
      await reader.expectShown('Worried about someone');
      await reader.switchLanguage('Easy read');
      await reader.expectShown('Worried about someone');
      expect(await page.getByText('Listen to them. Believe them.').isVisible()).toBe(true);
      await page.getByRole('contentinfo').getByRole('link', { name: 'Keeping safe on the internet' }).click();
      await reader.expectShown('Keeping safe on the internet');
      expect(page.url()).toBe(`${rig.baseUrl}/staying-safe-online?lang=easy-read`);
      await page.getByRole('link', { name: 'Kent and Medway domestic abuse support' }).click();
      await reader.expectShown('Help with domestic abuse in Kent and Medway');
      // The finder form posts (no cookie, no token); a town's results are at the address partners can link to.
      await page.getByLabel('Your town or postcode').fill('Maidstone');
      await Promise.all([page.waitForURL((url) => url.search.includes('location=')), page.getByRole('button', { name: 'Find help' }).click()]);
      expect(new URL(page.url()).search).toBe('?location=Maidstone&lang=easy-read');
      expect(await context.cookies()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('takes focus to where a jump within the page lands: the main content, or the help-now numbers', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    await PublicPage.open(page, '/what-is-domestic-abuse');
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#main-content$/);
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main-content');
    await page.getByRole('link', { name: 'More helplines' }).click();
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('help-now');
    // Focus moves on from there into the numbers, and the section takes no lasting place in the tab order.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>('document.getElementById("help-now").getAttribute("tabindex")')).toBeNull();
    expect(await page.evaluate<boolean>('document.getElementById("help-now").contains(document.activeElement)')).toBe(true);
  });

  it('can be used with the keyboard alone: every link and button is reached in order, each with a visible focus', { timeout: 60_000 }, async () => {
    const page = await rig.newPage();
    await PublicPage.open(page, '/clares-law');
    const reached: string[] = [];
    for (let press = 0; press < 60; press += 1) {
      await page.keyboard.press('Tab');
      // Browser code is passed as text: this project's TypeScript has no DOM types.
      const focus = await page.evaluate<{ text: string; visible: boolean } | null>(`(() => {
        const element = document.activeElement;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        const visible = style.outlineStyle !== 'none' || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)';
        return { text: (element.textContent || '').trim().replace(/\\s+/g, ' '), visible };
      })()`);
      if (!focus) break;
      expect(focus.visible, `focus visible on "${focus.text}"`).toBe(true);
      reached.push(focus.text);
    }
    expect(reached.slice(0, 2)).toEqual(['Skip to main content', 'Exit this page']);
    for (const expected of ['Find support', 'More helplines', 'Polski', 'Emergency Exit this page', 'The right to ask', '0808 2000 247', 'Partner staff sign in']) {
      expect(reached, expected).toContain(expected);
    }
    expect(reached.indexOf('Emergency Exit this page')).toBeLessThan(reached.indexOf('The right to ask'));
  });
});
