import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { upsertPoints } from './repository/postcodes.js';
import { bumpGeneration } from './repository/published.js';
import type { PublishedDocument } from './published-document.js';
import { newId } from '../../platform/db/ids.js';
import { DirectoryProblem } from './problem.js';
import { namesAddressIn } from './confidential-guard.js';
import { createLocation, createOrganisation, editorActor, ORIGIN, publishService, serviceInput } from './test-fixtures.js';

/** A refuge address no page could contain by chance: every part of it is a made-up word. */
const ADDRESS = { address1: '77 Quillfeather Mews', address2: 'Zanzibarton Annexe', city: 'Obsidianbury', postalCode: 'CT9 7QZ' };
const LOCATION_NAME = 'Wrenfold House';
const SENTINELS = ['quillfeather', 'zanzibarton', 'obsidianbury', 'ct9 7qz', 'ct97qz', 'wrenfold'];

/**
 * The sentinels found in a response. `typed` is what the person searched for: the page may repeat their own
 * words back (in the search box, in "we could not find ...", in its own links), and only that is allowed.
 */
function leaks(body: string, typed?: string): string[] {
  let text = body.toLowerCase().replace(/&#39;|&quot;|&amp;/g, ' ');
  if (typed) {
    // A postcode typed without its space is shown back with it ("CT97QZ" as "CT9 7QZ"): still their own words.
    const postcode = /^([a-z]{1,2}\d[a-z\d]?)(\d[a-z]{2})$/i.exec(typed);
    const forms = [typed, ...(postcode ? [`${postcode[1] ?? ''} ${postcode[2] ?? ''}`] : [])];
    const echoes = forms.flatMap((form) => [form, form.replace(/ /g, '+'), encodeURIComponent(form), encodeURI(form)]).map((form) => form.toLowerCase());
    for (const echo of echoes) text = text.split(echo).join(' ');
  }
  return SENTINELS.filter((sentinel) => text.includes(sentinel));
}

function links(html: string): string[] {
  return [...html.matchAll(/href="([^"#]+)/g)].map((match) => (match[1] ?? '').replace(/&amp;/g, '&')).filter((href) => href.startsWith('/') && !/^\/(app|assets|media)(\/|$|\?)/.test(href));
}

describe('a confidential address never reaches the public', () => {
  let platform: TestPlatform;
  let refugeServiceId: string;
  let locationId: string;
  const get = (url: string) => platform.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    platform = await createTestPlatform();
    const { services } = platform;
    const partner = await services.reference.getOrganisationBySlug('demo-support-service');
    const organisation = await createOrganisation(services, 'Confidential Test Trust (synthetic)', partner?.id ?? null);
    locationId = await createLocation(services, { organisationId: organisation, name: LOCATION_NAME, locationType: 'physical', confidential: true, address: ADDRESS, areaCode: 'thanet', accessibility: 'Wrenfold has a lift' });
    // A refuge service may give a public postal address (never a building people could go to: see the next suite).
    const office = await createLocation(services, { organisationId: organisation, name: 'Test Public Post Room (synthetic)', locationType: 'postal', confidential: false, address: { address1: '1 Open Street', address2: null, city: 'Margate', postalCode: 'CT9 9ZZ' }, areaCode: 'thanet', accessibility: null });
    refugeServiceId = await publishService(services, serviceInput(organisation, { name: 'Sentinel Refuge Service (synthetic)', areaCodes: ['thanet', 'canterbury'], termCodes: ['safe-accommodation'], locationIds: [locationId, office], acceptsCallbacks: true }));
    // Coordinates for the refuge's own postcode: a distance search from it must still reveal nothing.
    await upsertPoints(services.db.kysely, [{ postcode: 'CT97QZ', latitude: 51.385, longitude: 1.38 }]);
  });
  afterAll(() => platform.close());

  it('is stored only encrypted, and the editor sees it only on request', async () => {
    const row = await platform.services.db.kysely.selectFrom('directory_locations').selectAll().where('id', '=', locationId).executeTakeFirstOrThrow();
    expect(leaks(JSON.stringify({ ...row, name: '', accessibility: '' }))).toEqual([]);
    expect(row).toMatchObject({ address_1: null, city: null, postal_code: null, latitude: null, longitude: null });
    expect(row.confidential_address_enc).toMatch(/^e1:/);
  });

  it('refuses service text that repeats it as it is saved, so no draft or history holds it', async () => {
    const { services } = platform;
    const actor = await editorActor(services);
    const organisation = (await services.directory.records.listOrganisations())[0]?.id ?? '';
    for (const description of ['Come to 77 Quillfeather Mews any time.', 'Our refuge near CT97QZ.', 'Find us on Quillfeather Mews in Obsidianbury.', 'Quillfeather Mews, CT9.', 'Quill-feather Mews, Obsidianbury.', 'On Quillfeather Mews, Zanzibarton Annexe.', 'Come to 77 Quill feather Mews.', 'Our refuge, CT9 7Q.', 'Near ct97q.', 'Near ＣＴ９ ７ＱＺ.', 'Quillféather Mews.', 'We are at 77 Quillfeather, Obsidianbury.', 'Number 77 Quill-feather.']) {
      await expect(services.directory.editor.create(actor, serviceInput(organisation, { name: 'Careless Service (synthetic)', description }), ORIGIN), description).rejects.toBeInstanceOf(DirectoryProblem);
    }
    // The postcode sector alone covers thousands of homes: naming it is ordinary text.
    const sector = await services.directory.editor.create(actor, serviceInput(organisation, { name: 'Careful Sector (synthetic)', description: 'We cover CT9 7 and CT9 1.' }), ORIGIN);
    await expect(services.directory.editor.publish(actor, sector, 1, ORIGIN)).resolves.toBeUndefined();
    // The street's name without its house number is a name like any other (a refuge may be named after it).
    const namesIt = namesAddressIn(ADDRESS);
    expect(namesIt([['description', 'Quillfeather Refuge has 77 years of history in Obsidianbury.']])).toBe(false);
    expect(namesIt([['description', 'Come to number 77 Quillfeather.']])).toBe(true);
    // Nor is a word that merely starts like it, after the same number.
    expect(namesIt([['description', 'We have 77 quillfeathers on display.']])).toBe(false);
    // A street with a two-character postcode district (M1, as a partnership elsewhere would have) is caught too.
    await createLocation(services, { organisationId: organisation, name: 'Far Refuge', locationType: 'physical', confidential: true, address: { address1: '5 Zephyrine Row', address2: null, city: 'Nowhereton', postalCode: 'M1 1AE' }, areaCode: 'thanet', accessibility: null });
    await expect(services.directory.editor.create(actor, serviceInput(organisation, { name: 'Careless Far (synthetic)', description: 'Zephyrine Row, M1.' }), ORIGIN)).rejects.toBeInstanceOf(DirectoryProblem);
    // The refusal names the field that holds the address, so the editor knows where to look.
    const refusal = await services.directory.editor.create(actor, serviceInput(organisation, { name: 'Careless Offers (synthetic)', offers: 'A room at 77 Quillfeather Mews.' }), ORIGIN).catch((error: unknown) => error);
    expect(refusal instanceof DirectoryProblem ? refusal.problems.map((problem) => problem.field) : refusal).toEqual(['offers']);
    const names = (await services.db.kysely.selectFrom('directory_services').select('name').execute()).map((row) => row.name);
    expect(names.filter((name) => name.startsWith('Careless'))).toEqual([]);
  });

  it('appears on no public page reached from the home page, the finder or any service page', async () => {
    const published = await platform.services.directory.published.current();
    const queue = ['/', '/services', '/robots.txt', '/sitemap.xml', ...published.services.map((service) => `/services/${service.id}`)];
    const seen = new Set<string>();
    while (queue.length > 0 && seen.size < 3000) {
      const url = queue.shift() ?? '/';
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await get(url);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(leaks(response.body), url).toEqual([]);
      if ((response.headers['content-type'] ?? '').toString().startsWith('text/html')) for (const link of links(response.body)) if (!seen.has(link)) queue.push(link);
    }
    expect(seen.size).toBeGreaterThan(100);
    expect(seen).toContain(`/services/${refugeServiceId}`);
    expect(seen).toContain(`/services/${refugeServiceId}/call-back`);
  });

  it('is not in the sitemap, which lists the refuge’s public page as it lists every published service', async () => {
    const sitemap = (await get('/sitemap.xml')).body;
    const published = await platform.services.directory.published.current();
    expect(published.services.length).toBeGreaterThan(10);
    for (const service of published.services) expect(sitemap).toContain(`/services/${service.id}</loc>`);
    expect(sitemap).toContain(`/services/${refugeServiceId}</loc>`);
    expect(leaks(sitemap)).toEqual([]);
  });

  it('appears in no search, whatever is searched for, beyond the words the person typed', async () => {
    for (const typed of [ADDRESS.address1, 'Quillfeather', ADDRESS.city, ADDRESS.postalCode, 'CT97QZ', 'CT9 7QZ', LOCATION_NAME]) {
      for (const url of [`/services?location=${encodeURIComponent(typed)}`, `/services?location=${encodeURIComponent(typed)}&need=safe-accommodation`]) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(200);
        expect(leaks(response.body, typed), url).toEqual([]);
      }
      const api = await get(`/api/oruk/services?search=${encodeURIComponent(typed)}`);
      expect(leaks(api.body), typed).toEqual([]);
      expect(JSON.parse(api.body)).toMatchObject({ total_items: 0 });
    }
  });

  it('appears in no API response: every list page, every object, and distance searches from its postcode', async () => {
    const bodies: string[] = [];
    for (const list of ['services', 'service_at_locations', 'taxonomies', 'taxonomy_terms', 'organizations']) {
      const first = await get(`/api/oruk/${list}?per_page=200`);
      bodies.push(first.body);
      for (const item of (JSON.parse(first.body) as { contents: Array<{ id: string }> }).contents) bodies.push((await get(`/api/oruk/${list}/${item.id}`)).body);
    }
    bodies.push((await get('/api/oruk/service_at_locations?postcode=CT9%207QZ&proximity=5000&per_page=200')).body);
    bodies.push((await get('/api/oruk/service_at_locations?postcode=CT9%207QZ')).body);
    bodies.push((await get(`/api/oruk/service_at_locations/${locationId}`)).body);
    bodies.push((await get(`/api/oruk/services/${refugeServiceId}`)).body);
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies) expect(leaks(body)).toEqual([]);
    const full = JSON.parse((await get(`/api/oruk/services/${refugeServiceId}`)).body) as { service_at_locations: Array<{ location_id: string }> };
    expect(full.service_at_locations.map((link) => link.location_id)).not.toContain(locationId);
  });

  it('appears in no error page', async () => {
    for (const url of [`/services/${locationId}`, `/services/${locationId}/call-back`, `/api/oruk/services/${locationId}`, '/services/77%20Quillfeather%20Mews', `/api/oruk/service_at_locations?postcode=${encodeURIComponent('77 Quillfeather Mews')}`]) {
      const response = await get(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(leaks(response.body, url.includes('Quillfeather') ? '77 Quillfeather Mews' : undefined), url).toEqual([]);
    }
  });

  it('stays a confidential entry on its services when a refuge is made public, until its details are published', async () => {
    const { services } = platform;
    const actor = await editorActor(services);
    const organisation = await createOrganisation(services, 'Unhiding Trust (synthetic)');
    const input = { organisationId: organisation, name: 'Unhiding House', locationType: 'physical' as const, confidential: true, address: { address1: '3 Soonpublic Lane', address2: null, city: 'Deal', postalCode: 'CT14 6QZ' }, areaCode: 'dover', accessibility: null };
    const place = await createLocation(services, input);
    const id = await publishService(services, serviceInput(organisation, { name: 'Unhiding Service (synthetic)', locationIds: [place] }));
    await services.directory.records.updateLocation(actor, place, 1, { ...input, confidential: false }, ORIGIN);
    const page = (await get(`/services/${id}`)).body;
    expect(page).toContain('Address given when you are referred');
    expect(page.toLowerCase()).not.toContain('soonpublic');
    await services.directory.records.publishLocation(actor, place, 2, ORIGIN);
    expect((await get(`/services/${id}`)).body).toContain('3 Soonpublic Lane');
  });

  it('disappears at once from every page when a public location is marked confidential', async () => {
    const { services } = platform;
    const actor = await editorActor(services);
    const organisation = await createOrganisation(services, 'Changing Location Trust (synthetic)');
    const address = { address1: '5 Becomingsecret Row', address2: null, city: 'Margate', postalCode: 'CT9 6QZ' };
    const place = await createLocation(services, { organisationId: organisation, name: 'Soon Secret House', locationType: 'physical', confidential: false, address, areaCode: 'thanet', accessibility: null });
    const id = await publishService(services, serviceInput(organisation, { name: 'Changing Service (synthetic)', locationIds: [place] }));
    expect((await get(`/services/${id}`)).body).toContain('5 Becomingsecret Row');
    const location = await services.directory.records.getLocation(actor, place, { revealAddress: false, origin: ORIGIN });
    await services.directory.records.updateLocation(actor, place, location?.version ?? 0, { organisationId: organisation, name: 'Soon Secret House', locationType: 'physical', confidential: true, address, areaCode: 'thanet', accessibility: null }, ORIGIN);
    for (const url of [`/services/${id}`, `/api/oruk/services/${id}`, '/api/oruk/service_at_locations?per_page=200', '/services?location=Margate']) {
      const body = (await get(url)).body.toLowerCase();
      expect(body, url).not.toContain('becomingsecret');
      expect(body, url).not.toContain('ct9 6qz');
    }
    expect((await get(`/services/${id}`)).body).toContain('Address given when you are referred');
    const history = await services.directory.records.history('location', place);
    expect(history.map((entry) => entry.action)).toEqual(['changed', 'published', 'created as a draft']);
    // The version published before it was made confidential is not kept either: it held the address in plain text.
    const stored = await services.db.kysely.selectFrom('directory_locations').select('published_document').where('id', '=', place).executeTakeFirst();
    expect(stored?.published_document).toBe(JSON.stringify({ confidential: true }));
    expect(JSON.stringify(history)).not.toContain('Becomingsecret');
  });
});

describe('a service offering safe accommodation', () => {
  let platform: TestPlatform;
  let organisation: string;
  beforeAll(async () => {
    platform = await createTestPlatform();
    organisation = await createOrganisation(platform.services, 'Safe Stay Trust (synthetic)');
  });
  afterAll(() => platform.close());

  // Each its own street and postcode: the guard refuses public text naming another confidential location's street.
  const streets = ['Alderbrook Walk', 'Birchmoor Rise', 'Cedarholt Lane', 'Dunmere Court', 'Elderwick Row', 'Fernhallow Mews'];
  const office = (name: string) => {
    const door = streets.length;
    return { organisationId: organisation, name, locationType: 'physical' as const, confidential: false, address: { address1: `${String(door)} ${streets.pop() ?? ''} (synthetic)`, address2: null, city: 'Ramsgate', postalCode: `CT11 ${String(door)}ZZ` }, areaCode: 'thanet', accessibility: null };
  };

  it('is not published with a building the public could go to, only with confidential or postal addresses', async () => {
    const { services } = platform;
    const actor = await editorActor(services);
    const building = await createLocation(services, office('Safe Stay Front Door'));
    const id = await services.directory.editor.create(actor, serviceInput(organisation, { name: 'Safe Stay Refuge (synthetic)', termCodes: ['safe-accommodation'], locationIds: [building] }), ORIGIN);
    const refusal = await services.directory.editor.publish(actor, id, 1, ORIGIN).catch((error: unknown) => error);
    expect(refusal instanceof DirectoryProblem ? refusal.problems.map((problem) => [problem.field, problem.text]) : refusal).toEqual([
      ['locationIds', '“Safe Stay Front Door” has a public address, and the public must never learn where people stay: mark it confidential, or take it off this safe accommodation service if it is only an office'],
    ]);
    expect((await platform.app.inject({ url: `/services/${id}` })).statusCode).toBe(404);

    // Saved as a postal address but still public as a building until published: refused all the same.
    const movedInput = office('Safe Stay Moved Office');
    const moved = await createLocation(services, movedInput);
    await services.directory.records.updateLocation(actor, moved, 2, { ...movedInput, locationType: 'postal' }, ORIGIN);
    const early = await services.directory.editor.create(actor, serviceInput(organisation, { name: 'Safe Stay Early (synthetic)', termCodes: ['safe-accommodation'], locationIds: [moved] }), ORIGIN);
    await expect(services.directory.editor.publish(actor, early, 1, ORIGIN)).rejects.toBeInstanceOf(DirectoryProblem);

    const post = await createLocation(services, { ...office('Safe Stay Post Room'), locationType: 'postal' });
    const refuge = await createLocation(services, { ...office('Safe Stay House'), confidential: true });
    const fixed = await services.directory.editor.create(actor, serviceInput(organisation, { name: 'Safe Stay Refuge Two (synthetic)', termCodes: ['safe-accommodation'], locationIds: [post, refuge] }), ORIGIN);
    await expect(services.directory.editor.publish(actor, fixed, 1, ORIGIN)).resolves.toBeUndefined();
  });

  it('never shows a building where people stay, even one published before that was refused', async () => {
    const { services } = platform;
    const db = services.db.kysely;
    const building = await createLocation(services, office('Safe Stay Old House'));
    const id = await publishService(services, serviceInput(organisation, { name: 'Safe Stay Old Refuge (synthetic)', termCodes: ['outreach'], locationIds: [building] }));
    // As an install published it before the rule: a service offering safe accommodation at a public building.
    const row = await db.selectFrom('directory_published_services').select('document').where('service_id', '=', id).executeTakeFirstOrThrow();
    const document = JSON.parse(row.document) as PublishedDocument;
    const term = await db.selectFrom('directory_taxonomy_terms').select(['id', 'code']).where('code', '=', 'safe-accommodation').executeTakeFirstOrThrow();
    await db.updateTable('directory_published_services').set({ document: JSON.stringify({ ...document, terms: [...document.terms, { id: newId(), termId: term.id, code: term.code }] }) }).where('service_id', '=', id).execute();
    await bumpGeneration(db);
    const page = (await platform.app.inject({ url: `/services/${id}` })).body;
    expect(page).toContain('Address given when you are referred');
    for (const body of [page, (await platform.app.inject({ url: `/api/oruk/services/${id}` })).body, (await platform.app.inject({ url: '/api/oruk/service_at_locations?per_page=200' })).body]) {
      expect(body).not.toContain('Birchmoor Rise');
    }
  });

  it('keeps its confidential location from being made public and published', async () => {
    const { services } = platform;
    const actor = await editorActor(services);
    const input = { ...office('Safe Stay Annexe'), confidential: true };
    const place = await createLocation(services, input);
    await publishService(services, serviceInput(organisation, { name: 'Safe Stay Annexe Service (synthetic)', termCodes: ['safe-accommodation', 'men'], locationIds: [place] }));
    await services.directory.records.updateLocation(actor, place, 1, { ...input, confidential: false }, ORIGIN);
    const refusal = await services.directory.records.publishLocation(actor, place, 2, ORIGIN).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ statusCode: 409, message: expect.stringContaining('“Safe Stay Annexe Service (synthetic)” offers safe accommodation here') as unknown });
    const page = (await platform.app.inject({ url: '/services?location=Ramsgate&need=safe-accommodation' })).body;
    expect(page).toContain('Safe Stay Annexe Service (synthetic)');
    expect(page).not.toContain('Alderbrook Walk');
  });
});

