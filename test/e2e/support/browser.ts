import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { createTestPlatform, type TestPlatform, type TestPlatformOptions } from '../../support/platform.js';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** WCAG 2.2 AA, as the project promises: every page a browser test visits is checked against these. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserRig {
  readonly platform: TestPlatform;
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh browser profile (no cookies) with one page, watched for console errors and CSP violations. */
  newPage(): Promise<Page>;
  /** Console errors, page errors and CSP violations seen in any page so far (tests expect none). */
  readonly problems: string[];
  close(): Promise<void>;
}

/**
 * The real app (same factory, fresh database) listening on a free port, and headless Chromium. A missing
 * Chromium fails the suite with the command that installs it: a browser test that silently skips proves nothing.
 */
export async function startBrowserRig(options: TestPlatformOptions = {}): Promise<BrowserRig> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Run ../shared/scripts/install-chromium (from the repository root) and try again.`);
  }
  const platform = await createTestPlatform(options);
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = platform.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    platform,
    baseUrl,
    browser,
    problems,
    async newPage() {
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', timezoneId: 'Europe/London' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        // A form re-shown with its errors is answered 400 on purpose; Chromium logs that as a failed load.
        // Failed loads are judged by the response listener below instead, which can tell a page from an asset.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error on ${page.url()}: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'document' && response.status() >= 400 && !isFormAnswer(response)) problems.push(`${String(response.status())} for ${response.url()}`);
      });
      page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await platform.close();
    },
  };
}

/**
 * Runs axe-core on the page as it stands (after it has loaded) and fails with a readable list of violations:
 * rule, impact, help text and the first offending elements.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  // Legacy mode runs axe in the page itself. The default opens a blank page for every check to merge the results
  // of cross-origin frames, which our pages do not have, and that doubled the time of every browser test.
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  const violations = results.violations.map(
    (violation) => `${violation.id} (${String(violation.impact)}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`,
  );
  // A plain Error rather than vitest's expect, so scripts outside the test runner (screenshots) can use this too.
  if (violations.length > 0) throw new Error(`Accessibility violations on ${page.url()}:\n  ${violations.join('\n  ')}`);
}

/** The public site's script sends its form and shows the answer in place: mistakes (400), unavailable (409), too many (429). */
const FORM_ANSWERS = new Set([400, 409, 429]);
function isFormAnswer(response: Response): boolean {
  return response.request().resourceType() === 'fetch' && response.request().method() === 'POST' && FORM_ANSWERS.has(response.status());
}
