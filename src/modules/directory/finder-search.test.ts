import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { createFinderSearches, SEALED_SEARCH_LIFETIME_MS } from './routes/finder-search.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Every way a postcode can be written in an address or a page's links. */
const spellings = (postcode: string) => [postcode, postcode.replace(' ', '+'), postcode.replace(' ', '%20'), postcode.replace(' ', ''), postcode.split(' ')[1] ?? ''];

describe('searches the finder keeps out of addresses', () => {
  let platform: TestPlatform;
  const post = (body: Record<string, string>, url = '/services') => platform.app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(body).toString() });
  const get = (url: string) => platform.app.inject({ url });

  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('never writes a full postcode in an address: the form posts it, and results and every link onward carry it sealed', async () => {
    const sent = await post({ location: 'CT9 1AA', need: 'idva', group: '' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers['set-cookie']).toBeUndefined();
    const address = String(sent.headers.location);
    expect(address).toMatch(/^\/services\?search=e1%3A[\w%-]+$/);
    for (const written of spellings('CT9 1AA')) expect(address.toUpperCase()).not.toContain(written);

    const results = await get(address);
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('services offering IDVA (independent domestic violence adviser) for people in');
    // The search box still shows it to the person who typed it; no link or address in the page repeats it.
    expect(results.body).toContain('value="CT9 1AA"');
    const links = [...results.body.matchAll(/(?:href|action)="([^"]*)"/g)].map((match) => (match[1] ?? '').toUpperCase());
    for (const written of spellings('CT9 1AA')) expect(links.filter((link) => link.includes(written)), written).toEqual([]);

    const serviceLink = /href="(\/services\/[0-9a-f-]{36}\?search=[^"]+)"/.exec(results.body)?.[1];
    expect(serviceLink).toBeDefined();
    const service = await get((serviceLink ?? '').replace(/&amp;/g, '&'));
    expect(service.body).toContain('Back to your results');
    expect(service.body).toContain(`href="${address}"`);
  });

  it('keeps a full postcode that came in an address (an old link) out of the links onward', async () => {
    const page = await get('/services?location=CT9%201AA&need=idva');
    expect(page.body).toContain('value="CT9 1AA"');
    const links = [...page.body.matchAll(/href="([^"]*)"/g)].map((match) => (match[1] ?? '').toUpperCase());
    expect(links.filter((link) => link.includes('SEARCH=E1')).length).toBeGreaterThan(0);
    for (const written of spellings('CT9 1AA')) expect(links.filter((link) => link.includes(written)), written).toEqual([]);

    const serviceId = /href="\/services\/([0-9a-f-]{36})\?/.exec(page.body)?.[1] ?? '';
    const service = await get(`/services/${serviceId}?location=CT9%201AA&need=idva`);
    expect(service.body).toContain('Back to your results');
    const serviceLinks = [...service.body.matchAll(/href="([^"]*)"/g)].map((match) => (match[1] ?? '').toUpperCase());
    for (const written of spellings('CT9 1AA')) expect(serviceLinks.filter((link) => link.includes(written)), written).toEqual([]);
  });

  it('sends a town, or the first half of a postcode, to the plain address partners link to, in the reader’s language', async () => {
    expect((await post({ location: 'Margate', need: 'idva', group: '' })).headers.location).toBe('/services?location=Margate&need=idva');
    expect((await post({ location: 'ME14', need: '', group: 'men' }, '/services?lang=pl')).headers.location).toBe('/services?location=ME14&group=men&lang=pl');
    const nothing = await post({ location: '', need: '', group: '' });
    expect(nothing.headers.location).toBe('/services?location=');
    expect((await get('/services?location=')).body).toContain('Tell us where, or what help you need');
  });

  it('ends a sealed search after two hours: its address then shows the finder, a notice and nothing of the search', async () => {
    const now = Date.now();
    const sealedAt = (at: number) => createFinderSearches(platform.services.crypto, () => new Date(at)).seal({ location: 'CT9 1AA', need: 'idva', group: '' });
    const recent = await get(`/services?${new URLSearchParams({ search: sealedAt(now - SEALED_SEARCH_LIFETIME_MS + 60_000) }).toString()}`);
    expect(recent.body).toContain('value="CT9 1AA"');

    for (const token of [sealedAt(now - SEALED_SEARCH_LIFETIME_MS - 60_000), 'e1:k1:not:a:search', 'CT9 1AA', platform.services.crypto.seal('search-address', 'CT9 1AA')]) {
      const ended = await get(`/services?${new URLSearchParams({ search: token }).toString()}`);
      expect(ended.statusCode, token).toBe(200);
      expect(ended.body, token).toContain('That search has ended.');
      expect(ended.body, token).not.toContain('CT9 1AA');
      expect(ended.body, token).toContain('<meta name="robots" content="noindex, nofollow">');
    }
  });
});
