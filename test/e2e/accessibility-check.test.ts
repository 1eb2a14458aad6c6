import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchChromium } from './support/browser.js';

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

/** The check every browser test runs on every page: it must find what it claims to, and say where. */
describe('the accessibility check the browser tests use', () => {
  let browser: Browser;
  let tab: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    tab = await browser.newPage();
  });
  afterAll(() => browser.close());

  it('passes a page that meets WCAG 2.2 AA', async () => {
    await tab.setContent(page('<p>Plain text, <a href="#here">a link that says where it goes</a>.</p>'));
    await expect(expectNoAxeViolations(tab)).resolves.toBeUndefined();
  });

  it('fails a page with an image without a text alternative, a field without a label and pale text, naming each rule and element', async () => {
    await tab.setContent(page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="photo"><input type="text" id="bare"><p style="color:#ccc;background:#fff" id="pale">Pale</p>'));
    const failure = expectNoAxeViolations(tab);
    await expect(failure).rejects.toThrow(/image-alt \(critical\).*#photo/);
    await expect(failure).rejects.toThrow(/label \(critical\).*#bare/);
    await expect(failure).rejects.toThrow(/color-contrast \(serious\).*#pale/);
  });

  it('checks again after the page changes in place, as a form shown again with its errors does', async () => {
    await tab.setContent(page('<p id="note">Fine so far</p>'));
    await expectNoAxeViolations(tab);
    await tab.evaluate(() => {
      const note = (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('note');
      note.innerHTML = '<button id="empty"></button>';
    });
    await expect(expectNoAxeViolations(tab)).rejects.toThrow(/button-name \(critical\).*#empty/);
  });

  it('refuses a page with frames rather than passing what it cannot see', async () => {
    await tab.setContent(page('<iframe title="Inner" srcdoc="<img src=x>"></iframe>'));
    await expect(expectNoAxeViolations(tab)).rejects.toThrow(/has frames/);
  });
});
