import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAxeViolations, type BrowserRig } from './support/browser.js';

/** Where Exit this page goes. Tests answer it locally, so no request ever leaves the machine. */
export const NEUTRAL_SITE = 'https://www.bbc.co.uk/weather';
/** Where the reader was before they came to us (a search results page, say). */
export const BEFORE_US = 'https://search.example.test/results';

const STUB = (title: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1></main></body></html>`;

/**
 * Serves the neutral exit site and a page "before us" from inside the browser. `hold` keeps the exit site's
 * answer back until released, so a test can look at our page in the moment between pressing exit and leaving.
 */
export async function stubOtherSites(context: BrowserContext, options: { hold?: Promise<void> } = {}): Promise<void> {
  await context.route('https://www.bbc.co.uk/**', async (route) => {
    await options.hold;
    await route.fulfill({ status: 200, contentType: 'text/html', body: STUB('Weather') });
  });
  await context.route('https://search.example.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: STUB('Search results') }));
}

/** A reader who came to us from somewhere else (BEFORE_US) and is now reading one of our pages. */
export async function readerOn(rig: BrowserRig, path: string, options: { hold?: Promise<void> } = {}) {
  const page = await rig.newPage();
  await stubOtherSites(page.context(), options);
  await page.goto(BEFORE_US);
  const ours = await PublicPage.open(page, path);
  return { page, ours };
}

/** A public page of ours, read as a person would, with the accessibility check every time it is shown. */
export class PublicPage {
  /**
   * `scripts: false` for a browser with JavaScript switched off, where axe cannot run: the same pages are
   * checked by axe in the tests that have it on (the HTML is the same; only the enhancement differs).
   */
  constructor(
    readonly page: Page,
    private readonly scripts = true,
  ) {}

  static async open(page: Page, path: string, scripts = true): Promise<PublicPage> {
    await page.goto(path);
    return new PublicPage(page, scripts).expectShown();
  }

  async expectShown(heading?: string | RegExp): Promise<this> {
    const h1 = this.page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) });
    await h1.waitFor();
    if (this.scripts) await expectNoAxeViolations(this.page);
    return this;
  }

  exitButton() {
    return this.page.getByRole('button', { name: /Exit this page|Opuść tę stronę|Leave this page fast/ });
  }

  async switchLanguage(name: 'English' | 'Easy read' | 'Polski'): Promise<void> {
    await this.page.getByRole('navigation', { name: /Language|Język/ }).getByRole('link', { name }).click();
  }

  async helpNowNumbers(): Promise<string[]> {
    const hrefs: string[] = [];
    for (const link of await this.page.locator('#help-now a[href^="tel:"]').all()) hrefs.push((await link.getAttribute('href')) ?? '');
    return hrefs;
  }

  /** At 320 CSS pixels wide (400% zoom of a 1280-pixel window) nothing may need scrolling sideways. */
  async expectNoSidewaysScroll(): Promise<void> {
    // Browser code is passed as text: this project's TypeScript has no DOM types.
    const overflow = await this.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, `${this.page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
  }
}
