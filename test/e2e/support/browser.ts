import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { createTestPlatform, type TestPlatform, type TestPlatformOptions } from '../../support/platform.js';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
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

/** Headless Chromium as every browser test runs it. Missing, it fails with the command that installs it. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}. Run ../shared/scripts/install-chromium (from the repository root) and try again.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * The real app (same factory, fresh database) listening on a free port, and headless Chromium. A browser test that
 * silently skipped for want of Chromium would prove nothing.
 */
export async function startBrowserRig(options: TestPlatformOptions = {}): Promise<BrowserRig> {
  const browser = await launchChromium();
  const platform = await createTestPlatform(options);
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = platform.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${String(port)}`;
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

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What a page holds once axe's source has been evaluated in it. */
interface AxeWindow {
  readonly axe: { run(options: RunOptions): Promise<AxeResults> };
}

/**
 * Runs axe-core on the page as it stands (after it has loaded) and fails with a readable list of violations:
 * rule, impact, help text and the first offending elements.
 *
 * axe-core is run directly rather than through @axe-core/playwright, which evaluates axe's 650 KB source twice for
 * every check and works out a selector for every element that passed. Our pages have no frames for it to reach
 * into, and only the violations are reported, so the same rules on the same document cost a third of the time.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  if (page.frames().length > 1) throw new Error(`${page.url()} has frames, which this check does not reach into: check each frame's document on its own`);
  if (!(await page.evaluate(() => 'axe' in globalThis))) await injectAxe(page);
  const found = await page.evaluate(
    (tags) => (globalThis as unknown as AxeWindow).axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((results) => results.violations),
    AXE_TAGS,
  );
  const violations = found.map(
    (violation) => `${violation.id} (${String(violation.impact)}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`,
  );
  // A plain Error rather than vitest's expect, so scripts outside the test runner (screenshots) can use this too.
  if (violations.length > 0) throw new Error(`Accessibility violations on ${page.url()}:\n  ${violations.join('\n  ')}`);
}

/**
 * Evaluates axe's source in the page through the DevTools protocol, which took two thirds of the time of
 * page.evaluate with the same source (measured on these machines: 141 ms against 220 ms a page).
 */
async function injectAxe(page: Page): Promise<void> {
  const session = await page.context().newCDPSession(page);
  try {
    const { exceptionDetails } = await session.send('Runtime.evaluate', { expression: AXE_SOURCE });
    if (exceptionDetails) throw new Error(`axe-core could not be loaded into ${page.url()}: ${exceptionDetails.text}`);
  } finally {
    await session.detach();
  }
}

/** The public site's script sends its form and shows the answer in place: mistakes (400), unavailable (409), too many (429). */
const FORM_ANSWERS = new Set([400, 409, 429]);
function isFormAnswer(response: Response): boolean {
  return response.request().resourceType() === 'fetch' && response.request().method() === 'POST' && FORM_ANSWERS.has(response.status());
}
