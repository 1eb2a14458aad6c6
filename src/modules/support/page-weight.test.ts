import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { seededPublicPaths } from './content-files.js';

const PUBLIC_PAGES = seededPublicPaths();

const BUDGET_BYTES = 60 * 1024;
/** Mirrors public.js: GOV.UK Frontend's script is fetched only when a component on the page needs it. */
const NEEDS_GOVUK_SCRIPT = /data-module="govuk-(?!skip-link"|service-navigation")/;

describe('public page weight', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  /** Bytes on the wire for one address, compressed as a browser would ask for it. */
  async function transferred(url: string): Promise<{ bytes: number; body: string; encoding: string }> {
    const response = await platform.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.statusCode, url).toBe(200);
    const encoding = response.headers['content-encoding'] ?? 'identity';
    const bytes = response.rawPayload.length;
    const body = encoding === 'identity' ? response.body : '';
    return { bytes, body, encoding };
  }

  it('keeps every public page, with its CSS and JavaScript, under 60 KB transferred', async () => {
    const report: string[] = [];
    for (const path of PUBLIC_PAGES) {
      for (const query of ['', '?lang=easy-read', '?lang=pl']) {
        const page = await platform.app.inject({ method: 'GET', url: path + query });
        const html = await transferred(path + query);
        expect(html.encoding, `${path} is compressed`).toMatch(/^(br|gzip)$/);
        const assets = [...page.body.matchAll(/<(?:link rel="stylesheet"|script[^>]*) (?:href|src)="(\/[^"]+)"/g)].map((match) => match[1] ?? '');
        if (NEEDS_GOVUK_SCRIPT.test(page.body)) assets.push('/assets/govuk-frontend.min.js');
        let total = html.bytes;
        for (const asset of assets) total += (await transferred(asset)).bytes;
        expect(assets).toContain('/assets/own/public.css');
        expect(total, `${path + query}: ${String(total)} bytes`).toBeLessThan(BUDGET_BYTES);
        report.push(`${(path + query).padEnd(40)} html ${String(html.bytes).padStart(6)}  total ${String(total).padStart(6)} bytes`);
      }
    }
    console.info(`Public page weight (HTML + CSS + JS, br/gzip):\n${report.join('\n')}`);
  });
});
