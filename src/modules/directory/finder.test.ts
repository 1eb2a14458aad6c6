import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedInlineScripts } from '../../../test/support/content-policy.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { upsertPoints } from './repository/postcodes.js';
import { setLocationPoint } from './repository/records.js';
import { createLocation, createOrganisation, publishService, serviceInput } from './test-fixtures.js';

/** The text of the results list, in order: each result's heading and its reasons. */
function results(html: string): Array<{ name: string; reasons: string[] }> {
  return [...html.matchAll(/<h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]+">([^<]+)<\/a><\/h2>[\s\S]*?<ul class="govuk-list govuk-list--bullet govuk-body-s">([\s\S]*?)<\/ul>/g)].map((match) => ({
    name: (match[1] ?? '').replace(/&#39;/g, "'"),
    reasons: [...(match[2] ?? '').matchAll(/<li>([^<]*)<\/li>/g)].map((reason) => (reason[1] ?? '').trim()),
  }));
}

describe('the service finder', () => {
  let platform: TestPlatform;
  const get = (url: string) => platform.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('explains each match and puts the service based in the searched place first', async () => {
    const page = await get('/services?location=Margate&need=idva');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 services offering IDVA (independent domestic violence adviser) for people in Margate.');
    expect(results(page.body)).toEqual([
      { name: 'Demo Margate Domestic Abuse Outreach (synthetic)', reasons: ['Covers Thanet', 'Based in Margate', 'Offers: IDVA (independent domestic violence adviser)'] },
      { name: 'Demo Kent-wide IDVA Service (synthetic)', reasons: ['Covers Thanet', 'Offers: IDVA (independent domestic violence adviser)'] },
    ]);
  });

  it('ranks by covering the area, then being based there, then distance from an imported postcode', async () => {
    const { services } = platform;
    const organisation = await createOrganisation(services, 'Ranking Test Organisation (synthetic)');
    const place = (name: string) => createLocation(services, { organisationId: organisation, name, locationType: 'physical', confidential: false, address: { address1: `1 ${name} Road`, address2: null, city: 'Testville', postalCode: 'TN23 9ZZ' }, areaCode: 'ashford', accessibility: null });
    const near = await place('Near');
    const far = await place('Far');
    await setLocationPoint(services.db.kysely, near, 51.38, 1.39);
    await setLocationPoint(services.db.kysely, far, 51.2, 0.5);
    // Names chosen so that alphabetical order would be the wrong answer every time.
    await publishService(services, serviceInput(organisation, { name: 'A Far Covering Service (synthetic)', areaCodes: ['thanet'], termCodes: ['legal'], locationIds: [far] }));
    await publishService(services, serviceInput(organisation, { name: 'B Near Covering Service (synthetic)', areaCodes: ['thanet'], termCodes: ['legal'], locationIds: [near] }));
    await publishService(services, serviceInput(organisation, { name: 'C Based Covering Service (synthetic)', areaCodes: ['thanet'], termCodes: ['legal'], locationIds: [await createLocation(services, { organisationId: organisation, name: 'Local', locationType: 'physical', confidential: false, address: { address1: '2 Local Road', address2: null, city: 'Margate', postalCode: 'CT9 9ZZ' }, areaCode: 'thanet', accessibility: null })] }));
    await publishService(services, serviceInput(organisation, { name: 'D Based Only Service (synthetic)', areaCodes: ['dover'], termCodes: ['legal'], locationIds: [await createLocation(services, { organisationId: organisation, name: 'Dover office', locationType: 'physical', confidential: false, address: { address1: '3 Quay Road', address2: null, city: 'Ramsgate', postalCode: 'CT11 9ZZ' }, areaCode: 'thanet', accessibility: null })] }));
    await upsertPoints(services.db.kysely, [{ postcode: 'CT91AA', latitude: 51.389, longitude: 1.386 }]);

    const names = results((await get('/services?location=CT9%201AA&need=legal')).body).map((result) => result.name);
    const ours = names.filter((name) => /^[ABCD] /.test(name));
    expect(ours).toEqual(['C Based Covering Service (synthetic)', 'B Near Covering Service (synthetic)', 'A Far Covering Service (synthetic)', 'D Based Only Service (synthetic)']);
    const near1 = results((await get('/services?location=CT9%201AA&need=legal')).body).find((result) => result.name.startsWith('B Near'));
    expect(near1?.reasons).toEqual(['Covers Thanet', 'About 0.6 miles away', 'Offers: Legal advice']);
  });

  it('says when a service has not given its opening times, rather than leaving them out', async () => {
    const { services } = platform;
    const organisation = await createOrganisation(services, 'Hours Test Organisation (synthetic)');
    const id = await publishService(services, serviceInput(organisation, { name: 'No Hours Service (synthetic)', hours: [], openingNotes: '' }));
    const page = await get(`/services/${id}`);
    expect(page.body).toContain('<h2 class="govuk-heading-m">Opening times</h2>');
    expect(page.body).toContain('The service has not told us its opening times.');
  });

  it('lists a paused service after the open ones and says so, and never one closed for good', async () => {
    const { services } = platform;
    const organisation = await createOrganisation(services, 'Status Test Organisation (synthetic)');
    const ids: Record<string, string> = {};
    for (const [name, status] of [['A Paused Service (synthetic)', 'temporarily closed'], ['B Full Service (synthetic)', 'inactive'], ['C Closed Service (synthetic)', 'defunct'], ['Z Open Service (synthetic)', 'active']] as const) {
      ids[status] = await publishService(services, serviceInput(organisation, { name, status, areaCodes: ['swale'], termCodes: ['sanctuary'] }));
    }
    const page = await get('/services?location=Sheerness&need=sanctuary');
    expect(results(page.body).map((result) => result.name).filter((name) => /^[ABCZ] /.test(name))).toEqual(['Z Open Service (synthetic)', 'A Paused Service (synthetic)', 'B Full Service (synthetic)']);
    expect(page.body).toContain('This service is temporarily closed.');
    expect(page.body).toContain('This service is not taking new people at the moment.');
    expect((await get(`/services/${ids['defunct'] ?? ''}`)).body).toContain('This service has closed.');
    expect((await get(`/services/${ids['inactive'] ?? ''}?lang=pl`)).body).toContain('Ta usługa obecnie nie przyjmuje nowych osób.');
  });

  it('combines the help needed with who it is for, and still reads an older link that names a group as the need', async () => {
    const { services } = platform;
    const organisation = await createOrganisation(services, 'Combined Search Organisation (synthetic)');
    await publishService(services, serviceInput(organisation, { name: 'Y Refuge For Men (synthetic)', areaCodes: ['ashford'], termCodes: ['safe-accommodation', 'men'] }));
    await publishService(services, serviceInput(organisation, { name: 'X Refuge For Anyone (synthetic)', areaCodes: ['ashford'], termCodes: ['safe-accommodation'] }));
    const both = await get('/services?location=Tenterden&need=safe-accommodation&group=men');
    const listed = results(both.body);
    expect(listed.map((result) => result.name)).toContain('Y Refuge For Men (synthetic)');
    expect(listed.map((result) => result.name)).not.toContain('X Refuge For Anyone (synthetic)');
    expect(listed.find((result) => result.name.startsWith('Y '))?.reasons).toEqual(['Covers Ashford', 'Offers: Safe accommodation (refuges)', 'For: Men']);
    expect(both.body).toMatch(/\d+ services? offering Safe accommodation \(refuges\) for Men in Tenterden\./);
    expect(both.body).toContain('<option value="men" selected>');
    expect(both.body).toContain('<option value="safe-accommodation" selected>');
    const older = await get('/services?location=Tenterden&need=men');
    expect(results(older.body).map((result) => result.name)).toContain('Y Refuge For Men (synthetic)');
    expect(older.body).toContain('<option value="men" selected>');
  });

  it('offers both places called Minster and narrows to the one chosen', async () => {
    const both = await get('/services?location=Minster');
    expect(both.body).toContain('There is more than one Minster. Choose yours:');
    expect(both.body).toContain('href="/services?location=Minster&amp;area=swale"');
    expect(both.body).toContain('href="/services?location=Minster&amp;area=thanet"');
    const names = results(both.body).map((result) => result.name);
    expect(names).toContain('Demo Sittingbourne Domestic Abuse Outreach (synthetic)');
    expect(names).toContain('Demo Margate Domestic Abuse Outreach (synthetic)');
    const thanet = results((await get('/services?location=Minster&area=thanet')).body).map((result) => result.name);
    expect(thanet).toContain('Demo Margate Domestic Abuse Outreach (synthetic)');
    expect(thanet).not.toContain('Demo Sittingbourne Domestic Abuse Outreach (synthetic)');
  });

  it('says when a postcode district spans areas', async () => {
    const page = await get('/services?location=CT3');
    expect(page.body).toContain('CT3 is in more than one area (Canterbury, Dover), so we show services for any of them.');
  });

  it('answers a postcode outside Kent and Medway with national helplines, not an error', async () => {
    const page = await get('/services?location=SW1A%201AA');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('That postcode is not in Kent or Medway');
    expect(page.body).toContain('SW1A 1AA is outside Kent and Medway.');
    expect(page.body).toContain('National helplines');
    expect(page.body).toContain('href="tel:08082000247"');
    const place = await get('/services?location=Brighton&need=idva');
    expect(place.body).toContain('That place is not in Kent or Medway');
    expect(place.body).toContain('Brighton is outside Kent and Medway.');
    expect(place.body).toContain('National helplines');
  });

  it('suggests places for an unknown town, and lists every area', async () => {
    const page = await get('/services?location=Margat&need=legal');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('We could not find that place');
    expect(page.body).toContain('<a class="govuk-link" href="/services?location=Margate&amp;need=legal">Margate</a>');
    expect(page.body).toContain('Services offering Legal advice anywhere in Kent and Medway');
    expect(page.body).toContain('href="/services?location=Tunbridge+Wells&amp;need=legal"');
  });

  it('says back a place it could not find, but not a sentence someone put in a link', async () => {
    const typo = await get('/services?location=Margat');
    expect(typo.body).toContain('We could not find a town, postcode or area called “Margat” in Kent and Medway.');
    expect((await get('/services?location=St.%20Margrets')).body).toContain('called “St. Margrets”');
    for (const short of ['Refuge booked. Ring 0770090', 'Ring 07700900999']) {
      expect((await get(`/services?${new URLSearchParams({ location: short }).toString()}`)).body, short).toContain('with that name in Kent and Medway');
    }
    const crafted = 'Your refuge place is confirmed. Call 07700900999 now';
    const page = await get(`/services?${new URLSearchParams({ location: crafted }).toString()}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('We could not find a town, postcode or area with that name in Kent and Medway.');
    // Only the search box, which is plainly what was searched for, still holds it.
    expect(page.body.split(crafted)).toHaveLength(2);
    expect(page.body).toContain(`value="${crafted}"`);
  });

  it('copies no control character from the address into the page', async () => {
    const page = await get('/services?location=Mar%00gate%1B');
    expect(page.statusCode).toBe(200);
    for (const control of ['\u0000', '\u001b']) expect(page.body).not.toContain(control);
  });

  it('keeps a page light when the address carries a crafted, very long search', async () => {
    const page = await get(`/services?location=${'x'.repeat(5000)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('x'.repeat(200));
    // Not a place, so links carry what the finder read of it (its first 100 characters) sealed, never the words.
    expect(page.body).not.toMatch(/href="[^"]*x{100}/);
    expect(page.body).toMatch(/href="\/services\?search=[\w%-]+&amp;lang=pl"/);
  });

  it('answers an empty search with what to do next', async () => {
    const page = await get('/services?location=&need=');
    expect(page.body).toContain('Tell us where, or what help you need');
    expect(page.body).toContain('National helplines');
  });

  it('offers the nearest options when nothing matches', async () => {
    const page = await get('/services?location=Margate&need=perpetrator-programmes');
    expect(page.body).toContain('No services found');
    expect(page.body).toContain('Services offering Programmes for people who harm elsewhere in Kent and Medway');
    expect(results(page.body).map((result) => result.name)).toEqual(['Demo Change Programme (synthetic)']);
    expect(page.body).toContain('href="/services?location=Margate">See every kind of help in Margate</a>');
  });

  it('puts services covering the whole county first when the search names no place, or all of Kent', async () => {
    const { services } = platform;
    const organisation = await createOrganisation(services, 'County Test Organisation (synthetic)');
    // Alphabetical order would put the local service first.
    await publishService(services, serviceInput(organisation, { name: 'AA Local Sanctuary Advice (synthetic)', areaCodes: ['dover'], termCodes: ['sanctuary'], locationIds: [] }));
    const everyArea = (await services.reference.listAreas()).map((area) => area.code);
    await publishService(services, serviceInput(organisation, { name: 'ZZ County Sanctuary Advice (synthetic)', areaCodes: everyArea, termCodes: ['sanctuary'], locationIds: [] }));
    for (const address of ['/services?need=sanctuary', '/services?location=Kent&need=sanctuary', '/services?location=Kent+and+Medway&need=sanctuary']) {
      const names = results((await get(address)).body).map((result) => result.name);
      expect(names.indexOf('ZZ County Sanctuary Advice (synthetic)'), address).toBeLessThan(names.indexOf('AA Local Sanctuary Advice (synthetic)'));
    }
    // And says so, rather than speaking of an area nobody gave.
    const noPlace = (await get('/services?need=sanctuary')).body;
    expect(noPlace).toContain('Services that cover the whole of Kent and Medway come first, then the others, in name order.');
    expect(noPlace).not.toContain('cover your area');
    const dover = results((await get('/services?location=Dover&need=sanctuary')).body).map((result) => result.name);
    expect(dover.indexOf('AA Local Sanctuary Advice (synthetic)')).toBeLessThan(dover.indexOf('ZZ County Sanctuary Advice (synthetic)')); // both cover Dover: name order
  });

  it('lists by need alone with each service’s coverage', async () => {
    const page = await get('/services?need=deaf-bsl');
    // A group is who a service is for, not what it offers.
    expect(page.body).toContain('1 service for Deaf people and BSL users in Kent and Medway.');
    expect(results(page.body)).toEqual([{ name: 'Demo Deaf Access Support (synthetic)', reasons: ['For: Deaf people and BSL users', 'Covers all of Kent and Medway'] }]);
    expect((await get('/services?location=Dover&need=lgbt')).body).toMatch(/\d services? for LGBT\+ people in Dover\./);
  });

  it('reads a place typed in full-width characters, or pasted with invisible direction marks', async () => {
    for (const typed of ['ＭＥ１４', '\u200eME14\u200f', '\u202aME14\u202c']) {
      const page = await get(`/services?location=${encodeURIComponent(typed)}`);
      expect(page.body, typed).toContain('services for people in ME14.');
    }
  });

  it('reads a need code in any case', async () => {
    expect(results((await get('/services?location=Margate&need=IDVA')).body)).toEqual(results((await get('/services?location=Margate&need=idva')).body));
    expect(results((await get('/services?location=Margate&need=IDVA')).body).length).toBeGreaterThan(0);
  });

  it('searches without an unknown need code and says so', async () => {
    const page = await get('/services?location=Dover&need=not-a-need');
    expect(page.body).toContain('We did not recognise the kind of help in the web address');
    expect(results(page.body).length).toBeGreaterThan(0);
  });

  it('never fails or echoes markup, whatever is in the address', async () => {
    for (const url of [
      '/services?location=a&location=b&need=idva&need=men',
      `/services?location=${'x'.repeat(5000)}`,
      '/services?page=abc&location=Kent',
      '/services?page=99999&location=Kent',
      '/services?page=-4&need=idva',
      '/services?location=%3Cscript%3Ealert(1)%3C/script%3E',
      '/services?need=%3Cb%3E&area=%00',
      '/services?location=%E0%A4%A',
    ]) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<b>');
    }
    const last = await get('/services?page=99999&location=Kent');
    expect(last.body).toMatch(/Page 2 of 2|aria-current="page"/);
  });

  it('sets no cookie and keeps searches out of caches', async () => {
    for (const url of ['/services', '/services?location=Margate', '/services?need=idva']) {
      const page = await get(url);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(page.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves a repeated search from memory: the same page for everyone, its script allowed, a fresh nonce in each policy', async () => {
    const answers = [await get('/services?location=Dover&need=legal'), await get('/services?location=Dover&need=legal')];
    const [first, second] = answers.map((answer) => /'nonce-([^']+)'/.exec(String(answer.headers['content-security-policy']))?.[1]);
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
    expect(answers[1]?.body).toBe(answers[0]?.body);
    expect(answers[0]?.body).toContain('<script');
    for (const answer of answers) expect(blockedInlineScripts(answer)).toEqual([]);
  });

  it('sends a cached page compressed as the browser asks, the same page once unpacked', async () => {
    const url = '/services?location=Ashford&need=outreach';
    const plain = await get(url);
    const asked = (encoding: string) => platform.app.inject({ url, headers: { 'accept-encoding': encoding } });
    const brotli = await asked('gzip, deflate, br');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['vary']).toContain('Accept-Encoding');
    expect(zlib.brotliDecompressSync(brotli.rawPayload).toString()).toBe(plain.body);
    const gzip = await asked('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect((await asked('identity')).headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('speaks the reader’s language and keeps it in links', async () => {
    const page = await get('/services?location=Margate&need=idva&lang=pl');
    expect(page.body).toContain('Znalezione usługi');
    expect(page.body).toContain('Oferuje: IDVA (niezależny doradca ds. przemocy domowej)');
    expect(page.body).toMatch(/href="\/services\/[0-9a-f-]+\?[^"]*lang=pl"/);
    expect(page.body).toContain('<form method="post" action="/services?lang=pl" class="app-finder" novalidate data-not-sent="Wyszukiwanie nie zostało wysłane');
    // The directory's records are in English: marked so on a Polish page, for a screen reader's voice.
    expect(page.body).toMatch(/<a class="govuk-link" href="\/services\/[0-9a-f-]+\?[^"]*lang=pl" lang="en">/);
    const service = await get((/href="(\/services\/[0-9a-f-]+\?[^"]*lang=pl)"/.exec(page.body)?.[1] ?? '').replaceAll('&amp;', '&'));
    expect(service.body).toMatch(/<h1 class="govuk-heading-l" lang="en">/);
    expect((await get('/services?location=Margate&need=idva')).body).not.toMatch(/href="\/services\/[0-9a-f-]+[^"]*" lang="en"/);
    const easy = await get('/services?lang=easy-read');
    expect(easy.body).toContain('Find help near you');
  });

  it('names the languages a service speaks in the reader’s language', async () => {
    const published = await platform.services.directory.published.current();
    const speaksPolish = published.services.find((candidate) => candidate.languages.some((language) => language.code === 'pl'));
    if (!speaksPolish) throw new Error('The demo directory has no service that speaks Polish.');
    const languages = (body: string) => /<h2 class="govuk-heading-m">(?:Languages|Języki)<\/h2>\s*<p class="govuk-body">([^<]*)<\/p>/.exec(body)?.[1];
    expect(languages((await get(`/services/${speaksPolish.id}?lang=pl`)).body)).toContain('polski');
    expect(languages((await get(`/services/${speaksPolish.id}`)).body)).toContain('Polish');
  });
});

describe('a service page', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('shows everything a person needs, and the date it was last checked', async () => {
    const list = await platform.app.inject({ method: 'GET', url: '/services?need=deaf-bsl' });
    const href = /href="(\/services\/[0-9a-f-]+)[^"]*"/.exec(list.body)?.[1] ?? '';
    const page = await platform.app.inject({ method: 'GET', url: href });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    for (const text of ['Demo Deaf Access Support (synthetic)', 'Run by Demo Oakleaf Trust (synthetic)', 'What they offer', 'Who it is for', 'How to get help', 'You can contact them yourself.', 'Opening times', 'Monday to Friday', '09:00 to 17:00', 'British Sign Language', 'All of Kent and Medway', 'Information checked on', 'href="tel:01632960']) {
      expect(page.body).toContain(text);
    }
  });

  it('leads back to the results it was opened from, as Back leaves the site', async () => {
    const results = await platform.app.inject({ method: 'GET', url: '/services?location=Margate&need=idva&lang=pl' });
    const link = /href="(\/services\/[0-9a-f-]+\?[^"]*)"/.exec(results.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(new URLSearchParams(link.split('?')[1])).toEqual(new URLSearchParams({ location: 'Margate', need: 'idva', lang: 'pl' }));
    const page = await platform.app.inject({ method: 'GET', url: link });
    const back = /<a href="([^"]*)" class="govuk-back-link">([^<]*)<\/a>/.exec(page.body);
    expect(back?.[2]).toBe('Wróć do wyników wyszukiwania');
    expect(back?.[1]?.replaceAll('&amp;', '&')).toBe('/services?location=Margate&need=idva&lang=pl');
    // Opened from anywhere else (a partner's link, a bookmark), there are no results to go back to.
    // That copy is the reader's, not one for search engines to list beside the service's own address.
    expect(page.body).toContain('<meta name="robots" content="noindex, nofollow">');
    const path = link.split('?')[0] ?? '';
    const plain = (await platform.app.inject({ method: 'GET', url: path })).body;
    expect(plain).not.toContain('govuk-back-link');
    expect(plain).toContain('<meta name="robots" content="index, follow">');
  });

  it('gives the date it was checked in the reader’s language', async () => {
    const list = await platform.app.inject({ method: 'GET', url: '/services?need=deaf-bsl' });
    const href = /href="(\/services\/[0-9a-f-]+)[^"]*"/.exec(list.body)?.[1] ?? '';
    const polish = await platform.app.inject({ method: 'GET', url: `${href}?lang=pl` });
    expect(polish.body).toMatch(/Informacje sprawdzone \d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia) \d{4}\./);
    const english = await platform.app.inject({ method: 'GET', url: href });
    expect(english.body).toMatch(/Information checked on \d{1,2} [A-Z][a-z]+ \d{4}\./);
  });

  it('says a refuge address is given on referral, and never shows it', async () => {
    const list = await platform.app.inject({ method: 'GET', url: '/services?location=Chatham&need=safe-accommodation' });
    const href = /href="(\/services\/[0-9a-f-]+)[^"]*">Demo Hollowmere Refuge/.exec(list.body)?.[1] ?? '';
    const page = await platform.app.inject({ method: 'GET', url: href });
    expect(page.body).toContain('Address given when you are referred');
    expect(page.body).toMatch(/Every day<\/dt>\s*<dd class="govuk-summary-list__value">24 hours<\/dd>/);
    expect(page.body).not.toContain('Demo Refuge Close');
    expect(page.body).not.toContain('ME4 8ZZ');
  });

  it('is not found when unpublished, unknown or malformed', async () => {
    for (const url of ['/services/01890000-0000-7000-8000-000000000000', '/services/not-an-id', '/services/%27%3B']) {
      const page = await platform.app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(404);
      // An old link still helps: it says what may have happened and leads back to the search and the helplines.
      expect(page.body, url).toContain('We cannot find that service');
      expect(page.body, url).toContain('href="/services"');
      expect(page.body, url).toContain('National helplines');
    }
    expect((await platform.app.inject({ method: 'GET', url: '/services/01890000-0000-7000-8000-000000000000?lang=pl' })).body).toContain('Nie możemy znaleźć tej usługi');
  });
});
