import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { seededPublicPaths } from './content-files.js';

/** Every page of the site's content, and the addresses the layout and tests rely on. */
const PUBLIC_PAGES = seededPublicPaths();

describe('the public support pages', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  const get = (url: string) => platform.app.inject({ method: 'GET', url });

  it('has the pages the layout and the home page link to', () => {
    expect(PUBLIC_PAGES).toEqual(
      expect.arrayContaining(['/', '/what-is-domestic-abuse', '/worried-about-someone', '/worried-about-your-behaviour', '/clares-law', '/staying-safe', '/staying-safe-online', '/referral-pathway', '/bsl', '/accessibility', '/privacy']),
    );
  });

  it('serves every page in every language without a cookie, with no-store, no referrer and listed for search engines', async () => {
    for (const path of PUBLIC_PAGES) {
      for (const query of ['', '?lang=easy-read', '?lang=pl']) {
        const response = await get(path + query);
        expect(response.statusCode, path + query).toBe(200);
        expect(response.headers['set-cookie'], path + query).toBeUndefined();
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['referrer-policy']).toBe('no-referrer');
        expect(response.body).toContain('<meta name="robots" content="index, follow">');
      }
    }
  });

  it('shows every help-now number as a tap-to-call link, with the silent-call advice, on every page', async () => {
    for (const path of [...PUBLIC_PAGES, '/no-such-page']) {
      const { body } = await get(path);
      for (const dial of ['999', '101', '08082000247', '08088010327', '08081689276', '18001101']) expect(body, `${path} tel:${dial}`).toContain(`href="tel:${dial}"`);
      expect(body).toContain('press 55 on a mobile');
    }
  });

  it('names each help-now number by its digits and describes it by what the line is for, in the reader’s language', async () => {
    for (const [path, label] of [['/', 'Site information'], ['/?lang=pl', 'Informacje o stronie'], ['/?lang=easy-read', 'Site information']] as const) {
      const { body } = await get(path);
      const line = /<p class="app-help-now__name" id="(help-now-line-\d+)">([^<]+)<\/p>\s*<a class="govuk-link app-help-now__number" href="tel:101" aria-describedby="([^"]+)">101<\/a>/.exec(body);
      expect(line?.[1], path).toBe(line?.[3]);
      expect(line?.[2], path).toMatch(/Police|Policja/i);
      expect(body, path).toContain(`aria-label="${label}"`);
    }
  });

  it('has the Exit this page button and its skip link, both plain links to a neutral site', async () => {
    const { body } = await get('/clares-law');
    expect(body).toMatch(/<a href="https:\/\/www\.bbc\.co\.uk\/weather"[^>]*class="govuk-skip-link govuk-js-exit-this-page-skiplink"/);
    expect(body).toMatch(/<a href="https:\/\/www\.bbc\.co\.uk\/weather"[^>]*class="govuk-button govuk-button--warning govuk-exit-this-page__button/);
    expect(body).toContain('data-module="app-quick-exit"');
  });

  it('loads nothing from another site: every script, stylesheet and media source is our own', async () => {
    for (const path of PUBLIC_PAGES) {
      const { body } = await get(path);
      const sources = [...body.matchAll(/<(?:script|link|img|iframe|source|track|video)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
      // hreflang alternates are links to our own pages, like every other source here.
      expect(sources.filter((source) => !source.startsWith('/') && !source.startsWith('data:')), path).toEqual([]);
      expect(body).not.toMatch(/googletagmanager|google-analytics|gtag\(|connect\.facebook|hotjar|fonts\.googleapis|plausible|matomo/i);
    }
  });

  it('switches language on the same page, and carries nothing else written into its address', async () => {
    const { body } = await get('/clares-law?lang=pl');
    expect(body).toContain('<html lang="pl"');
    expect(body).toContain('<h1 class="govuk-heading-xl">Prawo Clare (Clare&#39;s Law)</h1>');
    expect(body).toContain('href="/clares-law"');
    expect(body).toContain('href="/clares-law?lang=easy-read"');
    expect(body).toContain('aria-current="true" lang="pl">Polski');
    // A crafted link's words (a postcode, a phone number) are not repeated in links for history to keep.
    const crafted = await platform.app.inject({ url: '/?location=ME15%206ZZ&phone=07700900999&lang=easy-read' });
    expect(crafted.body).toContain('href="/?lang=pl"');
    expect(crafted.body).not.toContain('07700900999');
    expect(crafted.body).not.toMatch(/ME15(%20|\+| )6ZZ/);
    const missing = await platform.app.inject({ url: '/no-such-page?location=Maidstone&lang=easy-read' });
    expect(missing.body).toContain('href="/no-such-page?lang=pl"');
  });

  it('reads a language asked for twice in the address', async () => {
    expect((await get('/clares-law?lang=pl&lang=pl')).body).toContain('<html lang="pl"');
  });

  it('keeps every language link on this site, whatever the address someone crafted', async () => {
    for (const url of ['//evil.example', '/\\evil.example', '//', '///evil.example/path']) {
      const { body } = await get(url);
      const links = [...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
      expect(links.filter((href) => /^(\/\/|\/\\|\/&#92;)/.test(href)), url).toEqual([]);
      expect(body, url).toContain('?lang=pl"');
    }
  });

  it('shows the easy read version as a first-class variant, with easy read page furniture', async () => {
    const { body } = await get('/staying-safe?lang=easy-read');
    expect(body).toContain('<h1 class="govuk-heading-xl">Keeping safe</h1>');
    expect(body).toContain('Leave this page fast');
    // What a screen reader says while Shift is pressed uses the same words as the button.
    expect(body).toContain('data-press-two-more-times="Press Shift 2 more times to leave."');
    expect(body).toContain('href="/staying-safe-online?lang=easy-read"');
  });

  it('falls back to English with a note, marked as English for screen readers, when a translation is missing', async () => {
    const { body } = await get('/referral-pathway?lang=pl');
    expect(body).toContain('Ta strona nie jest jeszcze dostępna w języku polskim');
    expect(body).toMatch(/<article class="app-steps">\s*<h1 class="govuk-heading-xl" lang="en">Domestic abuse referral pathway for professionals<\/h1>/);
    // The page's own words are marked English; the site's words around them stay Polish, as the page is.
    expect(body).toMatch(/<div class="app-prose" lang="en">/);
    expect(body).toMatch(/<h2 class="govuk-heading-s govuk-!-margin-bottom-2" id="contents-heading">Spis treści<\/h2>/);
    expect(body).toMatch(/<p class="app-meta">Ostatnia aktualizacja/);
  });

  it('lays the referral pathway out as numbered HTML steps, not an image', async () => {
    const { body } = await get('/referral-pathway');
    for (let step = 1; step <= 8; step += 1) expect(body).toMatch(new RegExp(`<h2 class="govuk-heading-m" id="step-${String(step)}-[a-z-]+">Step ${String(step)}:`));
    expect(body).toContain('3 or more domestic abuse incidents in the last 6 months');
    expect(body).not.toContain('<img');
  });

  it('offers the BSL video from our own address with captions and a transcript, loading nothing until played', async () => {
    const { body } = await get('/bsl');
    expect(body).toContain('<video class="app-video" controls preload="none"');
    expect(body).toContain('<source src="/media/bsl-getting-support.mp4" type="video/mp4">');
    expect(body).toContain('<track kind="captions" src="/media/bsl-getting-support.en.vtt" srclang="en"');
    expect(body).toContain('>Transcript</h2>');
    const captions = await get('/media/bsl-getting-support.en.vtt');
    expect(captions.statusCode).toBe(200);
    expect(captions.headers['content-type']).toContain('text/vtt');
    expect(captions.body.startsWith('WEBVTT')).toBe(true);
    const video = await platform.app.inject({ url: '/media/bsl-getting-support.mp4', headers: { range: 'bytes=0-99' } });
    expect(video.statusCode).toBe(206);
    expect(video.headers['content-type']).toBe('video/mp4');
    expect(video.headers['cache-control']).toBe('no-store');
    for (const bad of ['/media/..%2F..%2Fpackage.json', '/media/bsl-getting-support.webm', '/media/README.md']) expect((await get(bad)).statusCode, bad).toBe(404);
  });

  it('answers an unknown address with a plain not-found page that still has quick exit and the numbers, and is not indexed', async () => {
    for (const url of ['/no-such-page', '/Clares-Law', '/home', '/favicon.ico', '/media/x', '/assets/own/nope.js']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain('Page not found');
      expect(response.body).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(response.body).toContain('govuk-exit-this-page__button');
      for (const dial of ['999', '101', '08082000247', '08088010327', '18001101']) expect(response.body, `${url} tel:${dial}`).toContain(`href="tel:${dial}"`);
    }
    const polish = await get('/no-such-page?lang=pl');
    expect(polish.statusCode).toBe(404);
    expect(polish.body).toContain('<html lang="pl"');
    expect(polish.body).toContain('Nie znaleziono strony');
    expect(polish.body).not.toContain('Page not found');
    expect((await get('/no-such-page?lang=easy-read')).body).toContain('We cannot find this page');
  });

  it('links the home page to the information pages and to the finder with a form that works without JavaScript', async () => {
    const { body } = await get('/?lang=pl');
    expect(body).toMatch(/<form class="app-finder" method="post" action="\/services\?lang=pl"/);
    expect(body).not.toContain('name="lang"');
    expect(body).toContain('href="/clares-law?lang=pl"');
    expect(body).toMatch(/<li class="app-topics__item" lang="en">\s*<a class="govuk-link app-topics__link" href="\/bsl\?lang=pl">/);
  });

  it('tells search engines to stay out of the staff area, and where the sitemap is', async () => {
    const response = await get('/robots.txt');
    expect(response.body).toBe(`User-agent: *\nDisallow: /app/\nSitemap: ${platform.services.config.baseUrl}/sitemap.xml\n`);
  });

  it('lists the public pages in a sitemap, each in the languages it is written in', async () => {
    const response = await get('/sitemap.xml');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    const base = platform.services.config.baseUrl;
    const locations = [...response.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => (match[1] ?? '').replaceAll('&amp;', '&').slice(base.length));
    expect(locations).toEqual(expect.arrayContaining(['/', '/services', '/clares-law', '/bsl', '/?lang=pl', '/clares-law?lang=pl', '/staying-safe-online?lang=easy-read']));
    // Written only in English: the Polish address would show the English page again.
    expect(locations).not.toContain('/referral-pathway?lang=pl');
    expect(new Set(locations).size).toBe(locations.length);
    for (const location of locations.slice(0, 40)) expect((await get(location)).statusCode, location).toBe(200);
  });
});
