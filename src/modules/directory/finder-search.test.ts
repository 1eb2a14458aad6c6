import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { createFinderSearches, SEALED_SEARCH_LIFETIME_MS } from './routes/finder-search.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Every way a postcode can be written in an address or a page's links. */
const spellings = (postcode: string) => [postcode, postcode.replace(' ', '+'), postcode.replace(' ', '%20'), postcode.replace(' ', '')];

/**
 * A page's links and form addresses, upper case, with the random parts (record ids, sealed searches) taken out: they
 * are random letters and digits, which can spell part of a postcode by chance.
 */
const linksOf = (html: string) =>
  [...html.matchAll(/(?:href|action)="([^"]*)"/g)].map((match) => (match[1] ?? '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').replace(/search=[^&"]*/g, 'search=SEALED').toUpperCase());

const leakedIn = (links: readonly string[], postcode: string) => links.filter((link) => spellings(postcode).some((written) => link.includes(written)));

describe('searches the finder keeps out of addresses', () => {
  let platform: TestPlatform;
  const post = (body: Record<string, string>, url = '/services') => platform.app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(body).toString() });
  const get = (url: string) => platform.app.inject({ url });
  const sealer = (at: number) => createFinderSearches(platform.services.crypto, () => new Date(at));

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
    expect(leakedIn(linksOf(`href="${address}"`), 'CT9 1AA')).toEqual([]);

    const results = await get(address);
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('services offering IDVA (independent domestic violence adviser) for people in');
    // The search box still shows it to the person who typed it; no link or form address in the page repeats it.
    expect(results.body).toContain('value="CT9 1AA"');
    expect(leakedIn(linksOf(results.body), 'CT9 1AA')).toEqual([]);

    const serviceLink = /href="(\/services\/[0-9a-f-]{36}\?search=[^"]+)"/.exec(results.body)?.[1];
    expect(serviceLink).toBeDefined();
    const service = await get((serviceLink ?? '').replace(/&amp;/g, '&'));
    expect(service.body).toContain('Back to your results');
    expect(service.body).toContain(`href="${address}"`);
  });

  it('seals a full postcode among other words, or short of its last letter, but not a postcode’s first half', async () => {
    for (const location of ['Sheerness, ME12 1AA', 'Margate CT9 1AA', 'ct91aa', 'CT9 1A', 'ＣＴ９ １ＡＡ', 'CT 9 1AA', 'CT91 AA', 'C T9 1AA']) {
      expect(String((await post({ location })).headers.location), location).toMatch(/^\/services\?search=/);
    }
    for (const location of ['ME14', 'ME14 1', 'Margate']) expect(String((await post({ location })).headers.location), location).toMatch(/^\/services\?location=/);
  });

  it('seals whatever is not a place the finder knows: a street address, a phone number, an email address, a name', async () => {
    for (const location of ['12 Zqxstreet Road', 'Flat 3, 9 Hollowmere Close', '07700 900123', 'someone@demo.invalid', 'Zqxmarker Demo-Person', '12 High Street ME14', 'Zqxmarker Demo ME14', 'someone@demo.invalid ME14', '12 High Street, M1', 'Margate Анна Коваленко', 'Margate ٠٧٧٠٠ ٩٠٠١٢٣', 'Kent 张伟', 'Margate B12']) {
      const sent = String((await post({ location, need: 'idva' })).headers.location);
      expect(sent, location).toMatch(/^\/services\?search=/);
      const results = await get(sent);
      const written = [encodeURIComponent(location), new URLSearchParams({ location }).toString().slice('location='.length)].map((text) => text.toUpperCase());
      expect(linksOf(results.body).filter((link) => written.some((text) => link.includes(text))), location).toEqual([]);
    }
    for (const location of ['Tunbridge Wells', 'Swale', 'East Kent', 'Kent', 'ME14', 'Manchester', 'Margate CT9', 'Maidstone, ME14', 'M1', 'Westgate‑on‑Sea', 'Margate!']) {
      expect(String((await post({ location })).headers.location), location).toMatch(/^\/services\?location=/);
    }
  });

  it('answers an address holding a full postcode in words (a partner’s link) where it is, and seals it in every link onward', async () => {
    const page = await get('/services?location=CT9%201AA&need=idva&lang=pl');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="CT9 1AA"');
    const links = linksOf(page.body);
    expect(leakedIn(links, 'CT9 1AA')).toEqual([]);
    // Language links included: choosing one would otherwise put the words in history again.
    expect(links).toContain('/SERVICES?SEARCH=SEALED&AMP;LANG=EASY-READ');
    const wide = await get(`/services?location=${encodeURIComponent('ＣＴ９ １ＡＡ')}`);
    expect(leakedIn(linksOf(wide.body), 'CT9 1AA')).toEqual([]);

    const serviceId = /href="\/services\/([0-9a-f-]{36})\?/.exec(page.body)?.[1] ?? '';
    for (const visit of [1, 2]) {
      const service = await get(`/services/${serviceId}?location=CT9%201AA&need=idva`);
      expect(service.statusCode, `visit ${String(visit)}`).toBe(200);
      expect(service.body).toContain('Back to your results');
      expect(leakedIn(linksOf(service.body), 'CT9 1AA')).toEqual([]);
    }
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
    const sealedAt = (at: number) => sealer(at).seal({ location: 'CT9 1AA', need: 'idva', group: '' });
    const recent = await get(`/services?${new URLSearchParams({ search: sealedAt(now - SEALED_SEARCH_LIFETIME_MS + 60_000) }).toString()}`);
    expect(recent.body).toContain('value="CT9 1AA"');

    for (const token of [sealedAt(now - SEALED_SEARCH_LIFETIME_MS - 60_000), 'e1:k1:not:a:search', 'CT9 1AA', platform.services.crypto.seal('search-address', 'CT9 1AA')]) {
      const ended = await get(`/services?${new URLSearchParams({ search: token, location: 'CT9 1AA' }).toString()}`);
      expect(ended.statusCode, token).toBe(200);
      expect(ended.body, token).toContain('That search has ended.');
      expect(ended.body, token).not.toContain('CT9 1AA');
      expect(ended.body, token).not.toMatch(/CT9(\+|%20)1AA/);
      // Its language links lead to the finder itself, with nothing the address held.
      expect(ended.body, token).toContain('href="/services?lang=pl"');
      expect(ended.body, token).toContain('<meta name="robots" content="noindex, nofollow">');
    }
  });

  it('leads back from a service page to the results page it was opened from, page number included, cached or not', async () => {
    const token = sealer(Date.now()).seal({ location: 'CT9 1AA', need: '', group: '' });
    const results = await get(`/services?${new URLSearchParams({ search: token, page: '2' }).toString()}`);
    const serviceId = /href="\/services\/([0-9a-f-]{36})\?/.exec(results.body)?.[1] ?? '';
    const back = (body: string) => /<a href="([^"]*)" class="govuk-back-link">/.exec(body)?.[1]?.replace(/&amp;/g, '&');
    const sealed = encodeURIComponent(token).replace(/%20/g, '+');
    for (const visit of [1, 2]) {
      expect(back((await get(`/services/${serviceId}?${new URLSearchParams({ search: token, page: '2' }).toString()}`)).body), `visit ${String(visit)}`).toBe(`/services?search=${sealed}&page=2`);
      expect(back((await get(`/services/${serviceId}?${new URLSearchParams({ search: token }).toString()}`)).body), `visit ${String(visit)}`).toBe(`/services?search=${sealed}`);
    }
  });

  it('ends a search already opened (and so remembered) when its two hours are up', () => {
    let now = Date.now();
    const searches = createFinderSearches(platform.services.crypto, () => new Date(now));
    const token = searches.seal({ location: 'CT9 1AA', need: '', group: '' });
    expect(searches.open(token)?.search.location).toBe('CT9 1AA');
    now += SEALED_SEARCH_LIFETIME_MS + 1;
    expect(searches.open(token)).toBeUndefined();
  });

  it('ends a search made from a sealed one (every kind of help in the same place) when the first one ends', async () => {
    const sealedAt = Date.now() - SEALED_SEARCH_LIFETIME_MS + 60_000;
    const token = sealer(sealedAt).seal({ location: 'CT9 1AA', need: 'perpetrator-programmes', group: '' });
    const page = await get(`/services?${new URLSearchParams({ search: token }).toString()}`);
    expect(page.body).toContain('No services found');
    const allKinds = /href="\/services\?search=([^"&]+)">See every kind of help/.exec(page.body)?.[1];
    expect(allKinds).toBeDefined();
    const opened = sealer(Date.now()).open(decodeURIComponent(allKinds ?? ''));
    expect(opened).toMatchObject({ search: { location: 'CT9 1AA', need: '', group: '' }, sealedAt });
  });
});
