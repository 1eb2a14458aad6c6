import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { upsertPoints } from '../repository/postcodes.js';
import { createLocation, editorActor, ORIGIN, publishService, serviceInput } from '../test-fixtures.js';

// The published Open Referral UK 3.0 JSON Schemas, unchanged (see the standard's README).
const SCHEMATA = path.resolve(import.meta.dirname, '../../../../../shared/standards/oruk-3.0/schemata');
// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what we get.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validators(): Record<string, ValidateFunction> {
  // The schemata carry Open Referral's own keywords (core, constraints, datapackage_metadata...): not strict.
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  for (const file of fs.readdirSync(SCHEMATA)) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMATA, file), 'utf8')) as object, file);
  const compile = (name: string) => {
    const validate = ajv.getSchema(`${name}.json`);
    if (!validate) throw new Error(`No schema ${name}`);
    return validate;
  };
  return Object.fromEntries(['service', 'service_at_location', 'taxonomy', 'taxonomy_term', 'organization', 'phone', 'language', 'service_area', 'schedule'].map((name) => [name, compile(name)]));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Optional fields left out when empty: never null, never "", never []. */
function emptyValues(value: Json, at = '$'): string[] {
  if (value === null || value === '') return [at];
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((item, index) => emptyValues(item, `${at}[${String(index)}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => emptyValues(item, `${at}.${key}`));
  return [];
}

interface Page {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Array<Record<string, Json>>;
}

describe('the Open Referral UK 3.0 API', () => {
  let platform: TestPlatform;
  let schemas: Record<string, ValidateFunction>;
  let draftId: string;
  let phoneOnlyId: string;

  const get = (url: string, headers: Record<string, string> = {}) => platform.app.inject({ method: 'GET', url, headers });
  const page = (response: LightMyRequestResponse) => JSON.parse(response.body) as Page;
  const object = (response: LightMyRequestResponse) => JSON.parse(response.body) as Record<string, Json>;
  const text = (value: Json | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const field = (value: Json | undefined, key: string): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined);

  function expectValid(schema: string, value: unknown, where: string) {
    const validate = schemas[schema];
    if (!validate) throw new Error(`no validator ${schema}`);
    expect(validate(value) ? [] : validate.errors, `${where} against ${schema}.json`).toEqual([]);
    expect(emptyValues(value as Json), `${where}: empty optional fields`).toEqual([]);
  }

  /** Phones and languages ride along as HSDS 3.0 fields the ORUK service schema does not list: check them too. */
  function expectNestedValid(service: Record<string, Json>, where: string) {
    for (const phone of (service['phones'] ?? []) as Json[]) expectValid('phone', phone, `${where}.phones`);
    for (const contact of (service['contacts'] ?? []) as Array<Record<string, Json>>) for (const phone of (contact['phones'] ?? []) as Json[]) expectValid('phone', phone, `${where}.contacts.phones`);
    for (const language of (service['languages'] ?? []) as Json[]) expectValid('language', language, `${where}.languages`);
    for (const area of (service['service_areas'] ?? []) as Array<Record<string, Json>>) {
      expectValid('service_area', area, `${where}.service_areas`);
      // The schema leaves it a string, but its description is an enum of the extent's formats.
      if (area['extent_type'] !== undefined) expect(['geojson', 'topojson', 'kml', 'text'], `${where}.service_areas.extent_type`).toContain(area['extent_type']);
    }
    for (const schedule of (service['schedules'] ?? []) as Array<Record<string, Json>>) {
      expectValid('schedule', schedule, `${where}.schedules`);
      // The schema's own rule in words: an interval is "necessary" with a dtstart.
      if (schedule['interval'] !== undefined) expect(schedule['dtstart'], `${where}.schedules.dtstart`).toBeDefined();
    }
  }

  beforeAll(async () => {
    schemas = validators();
    platform = await createTestPlatform();
    const { services } = platform;
    const organisation = (await services.directory.records.listOrganisations())[0]?.id ?? '';
    draftId = await services.directory.editor.create(await editorActor(services), serviceInput(organisation, { name: 'Unpublished Draft Service (synthetic)' }), ORIGIN);
    // A drop-in with no website: a service a partner may well publish.
    const hall = await createLocation(services, { organisationId: organisation, name: 'Demo Larkspur Hall (synthetic)', locationType: 'physical', confidential: false, address: { address1: '2 Test Row', address2: null, city: 'Margate', postalCode: 'CT9 1ZZ' }, areaCode: 'thanet', accessibility: null });
    phoneOnlyId = await publishService(services, serviceInput(organisation, { name: 'Demo Larkspur Drop-in (synthetic)', url: null, locationIds: [hall] }));
  });
  afterAll(() => platform.close());

  it('checks against schemas that do reject what is not conformant', () => {
    expect(schemas['service']?.({ id: 'not-a-uuid', name: 'x', status: 'open' })).toBe(false);
    expect(schemas['service_at_location']?.({ id: '01890000-0000-7000-8000-000000000000', location: { id: '01890000-0000-7000-8000-000000000001' } })).toBe(false);
  });

  it('declares its version, profile and OpenAPI document', async () => {
    const root = await get('/api/oruk/');
    expect(root.statusCode).toBe(200);
    const body = object(root);
    expect(body['version']).toBe('HSDS-UK-3.0');
    // Where the UK profile is described (the standard's own example), not merely some web address.
    expect(body['profile']).toBe('https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md');
    const openapi = await get(new URL(text(body['openapi_url'])).pathname);
    expect(object(openapi)['openapi']).toMatch(/^3\./);
    // Its paths resolve against the server it names: the feed, not the public site's pages of the same names.
    const [server] = object(openapi)['servers'] as Array<{ url: string }>;
    const services = await get(`${new URL(server?.url ?? 'http://missing').pathname}/services`);
    expect(services.headers['content-type']).toMatch(/^application\/json/);
  });

  const LISTS = [
    ['/api/oruk/services', 'service', '/api/oruk/services/'],
    ['/api/oruk/service_at_locations', 'service_at_location', '/api/oruk/service_at_locations/'],
    ['/api/oruk/taxonomies', 'taxonomy', '/api/oruk/taxonomies/'],
    ['/api/oruk/taxonomy_terms', 'taxonomy_term', '/api/oruk/taxonomy_terms/'],
    ['/api/oruk/organizations', 'organization', '/api/oruk/organizations/'],
  ] as const;

  for (const [list, schema, item] of LISTS) {
    it(`${list}: every page and every object it lists conform to ${schema}.json`, async () => {
      const first = page(await get(`${list}?per_page=4`));
      expect(first.total_items).toBeGreaterThan(0);
      const ids: string[] = [];
      for (let number = 1; number <= first.total_pages; number += 1) {
        const response = await get(`${list}?per_page=4&page=${String(number)}`);
        expect(response.statusCode).toBe(200);
        expect(response.headers['access-control-allow-origin']).toBe('*');
        const body = page(response);
        expect(body).toMatchObject({ total_items: first.total_items, total_pages: first.total_pages, page_number: number, first_page: number === 1, last_page: number === first.total_pages, empty: false });
        expect(body.size).toBe(body.contents.length);
        for (const entry of body.contents) {
          expectValid(schema, entry, `${list} page ${String(number)}`);
          ids.push(text(entry['id']));
        }
      }
      expect(ids.length).toBe(first.total_items);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) {
        const response = await get(`${item}${id}`);
        expect(response.statusCode, `${item}${id}`).toBe(200);
        const body = object(response);
        expectValid(schema, body, `${item}${id}`);
        if (schema === 'service') expectNestedValid(body, `${item}${id}`);
        if (schema === 'service_at_location') {
          expectNestedValid(body['service'] as Record<string, Json>, `${item}${id}.service`);
          // The standard's OpenAPI document names the service schema for this answer (its example is a service_at_location).
          expectValid('service', body, `${item}${id} as the OpenAPI document names it`);
        }
      }
    });
  }

  it('gives every listed service a url, as the standard\'s list schema requires: its website, or else its public page', async () => {
    const listed = page(await get('/api/oruk/services?per_page=200')).contents;
    expect(listed.filter((service) => typeof service['url'] !== 'string').map((service) => service['name'])).toEqual([]);
    const phoneOnly = listed.find((service) => service['id'] === phoneOnlyId);
    expect(phoneOnly?.['url']).toBe(`${platform.services.config.baseUrl}/services/${phoneOnlyId}`);
    expect((await get(new URL(text(phoneOnly?.['url'])).pathname)).body).toContain('Demo Larkspur Drop-in (synthetic)');
    const withWebsite = listed.find((service) => service['name'] === 'Demo Kent-wide IDVA Service (synthetic)');
    expect(text(withWebsite?.['url'])).not.toContain('/services/');
  });

  it('lists only published services', async () => {
    const all = page(await get('/api/oruk/services?per_page=200'));
    expect(all.contents.map((service) => service['name'])).not.toContain('Unpublished Draft Service (synthetic)');
    expect((await get(`/api/oruk/services/${draftId}`)).statusCode).toBe(404);
  });

  it('combines taxonomy filters with AND, and searches free text', async () => {
    const terms = page(await get('/api/oruk/taxonomy_terms?per_page=50')).contents;
    const idOf = (code: string) => text(terms.find((term) => term['code'] === code)?.['id']);
    const idva = page(await get(`/api/oruk/services?per_page=200&taxonomy_term_id=${idOf('idva')}`));
    const both = page(await get(`/api/oruk/services?per_page=200&taxonomy_term_id=${idOf('idva')}&taxonomy_term_id=${idOf('lgbt')}`));
    expect(idva.total_items).toBeGreaterThan(10);
    expect(both.contents.map((service) => service['name'])).toEqual(['Demo Kent-wide IDVA Service (synthetic)']);
    const commaSeparated = page(await get(`/api/oruk/services?taxonomy_term_id=${idOf('idva')},${idOf('lgbt')}`));
    expect(commaSeparated.total_items).toBe(1);
    const refuges = page(await get('/api/oruk/services?search=refuge'));
    expect(refuges.contents.map((service) => service['name'])).toEqual(['Demo East Kent Refuge (synthetic)', 'Demo Hollowmere Refuge (synthetic)']);
    const none = page(await get('/api/oruk/services?search=refuge&taxonomy_term_id=' + idOf('men')));
    expect(none).toMatchObject({ total_items: 0, total_pages: 1, size: 0, empty: true, contents: [] });
  });

  it('filters by modified_after, written as an ISO 8601 date or date and time', async () => {
    const all = page(await get('/api/oruk/services?per_page=1')).total_items;
    expect(page(await get('/api/oruk/services?per_page=1&modified_after=2000-01-31')).total_items).toBe(all);
    expect(page(await get('/api/oruk/services?per_page=1&modified_after=2000-01-31T09:00:00%2B01:00')).total_items).toBe(all);
    expect(page(await get('/api/oruk/services?modified_after=2999-01-01T00:00:00Z')).total_items).toBe(0);
  });

  it('filters service_at_locations by postcode coverage and by distance', async () => {
    await upsertPoints(platform.services.db.kysely, [{ postcode: 'ME44AA', latitude: 51.381, longitude: 0.528 }]);
    const covering = page(await get('/api/oruk/service_at_locations?postcode=CT9%201AA&per_page=200'));
    expect(covering.total_items).toBeGreaterThan(0);
    const near = page(await get('/api/oruk/service_at_locations?postcode=ME4%204AA&proximity=2000&per_page=200'));
    expect(near.contents.map((link) => field(link['location'], 'name'))).toContain('Demo Chatham Support Centre (synthetic)');
    expect(near.contents.every((link) => ['Demo Chatham Support Centre (synthetic)', 'Demo Brightwater Clinic (synthetic)'].includes(text(field(link['location'], 'name'))))).toBe(true);
  });

  it('leaves confidential locations out entirely', async () => {
    const refuge = page(await get('/api/oruk/services?search=north%20kent%20refuge')).contents[0];
    const full = object(await get(`/api/oruk/services/${text(refuge?.['id'])}`));
    expect(full['service_at_locations']).toBeUndefined();
    const links = page(await get('/api/oruk/service_at_locations?per_page=200')).contents;
    expect(links.map((link) => field(link['service'], 'id'))).not.toContain(refuge?.['id']);
    expect(JSON.stringify(links)).not.toContain('Refuge Close');
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const first = await get('/api/oruk/services?per_page=3');
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/api/oruk/services?per_page=3', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['access-control-allow-origin']).toBe('*');
    expect((await get('/api/oruk/services?per_page=3', { 'if-none-match': `W/${etag}` })).statusCode).toBe(304);
    expect((await get('/api/oruk/services?per_page=4', { 'if-none-match': etag })).statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    // An answer that reveals what someone looked for (a search, a need, an age, a place) or at (one service) is not kept by a browser.
    const [service] = (object(await get('/api/oruk/services?per_page=1'))['contents'] as Array<{ id: string }>);
    const safeAccommodation = (object(await get('/api/oruk/taxonomy_terms?per_page=200'))['contents'] as Array<{ id: string; code?: string }>).find((term) => term.code === 'safe-accommodation');
    for (const address of [
      '/api/oruk/services?search=refuge',
      '/api/oruk/service_at_locations?postcode=CT9%201AA',
      `/api/oruk/services?taxonomy_term_id=${safeAccommodation?.id ?? 'missing'}`,
      '/api/oruk/services?minimum_age=16',
      `/api/oruk/services/${service?.id ?? 'missing'}`,
      `/api/oruk/taxonomy_terms/${safeAccommodation?.id ?? 'missing'}`,
    ]) {
      const answer = await get(address);
      expect(answer.statusCode, address).toBe(200);
      expect(answer.headers['cache-control'], address).toBe('no-store');
    }
    for (const address of ['/api/oruk/services?page=2&per_page=5', '/api/oruk/taxonomy_terms', `/api/oruk/services?modified_after=2020-01-01T00:00:00Z`]) {
      expect((await get(address)).headers['cache-control'], address).toBe('no-cache');
    }
  });

  it('gives each encoding its own strong ETag, and revalidates any of them', async () => {
    const plain = await get('/api/oruk/services?per_page=20');
    const gzipped = await get('/api/oruk/services?per_page=20', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const [plainTag, gzipTag] = [String(plain.headers['etag']), String(gzipped.headers['etag'])];
    expect(gzipTag).not.toBe(plainTag);
    const revalidated = await get('/api/oruk/services?per_page=20', { 'accept-encoding': 'gzip', 'if-none-match': gzipTag });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers['etag']).toBe(gzipTag);
    expect((await get('/api/oruk/services?per_page=20', { 'if-none-match': gzipTag })).statusCode).toBe(304);
  });

  it('is open to any origin, including for a preflight at the root and below it', async () => {
    for (const url of ['/api/oruk', '/api/oruk/', '/api/oruk/services', '/api/oruk/services/00000000-0000-7000-8000-000000000000']) {
      const preflight = await platform.app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://partner.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
      expect(preflight.statusCode, url).toBe(204);
      expect(preflight.headers['access-control-allow-origin'], url).toBe('*');
      expect(preflight.headers['access-control-allow-methods'], url).toContain('GET');
      expect(String(preflight.headers['access-control-allow-headers']).toLowerCase(), url).toContain('if-none-match');
    }
    const asking = (headers: string) => platform.app.inject({ method: 'OPTIONS', url: '/api/oruk/services', headers: { origin: 'https://partner.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': headers } });
    expect((await asking('if-none-match, x-requested-with, if-modified-since')).headers['access-control-allow-headers']).toBe('if-none-match, x-requested-with, if-modified-since');
    expect((await asking('bad header\r\nset-cookie: x')).headers['access-control-allow-headers']).toBe('If-None-Match');
    expect(String((await get('/api/oruk/services')).headers['access-control-expose-headers'])).toContain('Retry-After');
  });

  it('refuses a bad parameter with a problem document naming it, and changes nothing', async () => {
    const cases: Array<[string, string]> = [
      ['/api/oruk/services?page=0', 'page'],
      ['/api/oruk/services?page=abc', 'page'],
      ['/api/oruk/services?page=1&page=2', 'page'],
      ['/api/oruk/services?page=999', 'page'],
      ['/api/oruk/services?per_page=0', 'per_page'],
      ['/api/oruk/services?per_page=100000', 'per_page'],
      ['/api/oruk/services?taxonomy_term_id=idva', 'taxonomy_term_id'],
      ['/api/oruk/services?taxonomy_id=%27%20or%201%3D1', 'taxonomy_id'],
      ['/api/oruk/services?minimum_age=-1', 'minimum_age'],
      ['/api/oruk/services?maximum_age=old', 'maximum_age'],
      ['/api/oruk/services?day=funday', 'day'],
      ['/api/oruk/services?start_time=25:00', 'start_time'],
      ['/api/oruk/services?modified_after=yesterday', 'modified_after'],
      ['/api/oruk/services?modified_after=1', 'modified_after'],
      ['/api/oruk/services?modified_after=2026-02-30', 'modified_after'],
      ['/api/oruk/services?modified_after=2026-01-31T25:00:00Z', 'modified_after'],
      [`/api/oruk/services?search=${'a'.repeat(201)}`, 'search'],
      ['/api/oruk/service_at_locations?postcode=NOT%20A%20POSTCODE', 'postcode'],
      ['/api/oruk/service_at_locations?proximity=1000', 'proximity'],
      ['/api/oruk/service_at_locations?postcode=TN23%209ZZ&proximity=1000', 'proximity'],
      ['/api/oruk/services/not-a-uuid', 'id'],
      ['/api/oruk/taxonomy_terms?page=-1', 'page'],
    ];
    for (const [url, parameter] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type'], url).toContain('application/problem+json');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      const problem = JSON.parse(response.body) as { status: number; detail: string; invalid_params: Array<{ name: string }> };
      expect(problem.status).toBe(400);
      expect(problem.detail, url).toContain(`The ${parameter} parameter`);
      expect(problem.invalid_params[0]?.name, url).toBe(parameter);
    }
    const unknown = await get('/api/oruk/services/01890000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const nothing = await get('/api/oruk/no-such-thing');
    expect(nothing.statusCode).toBe(404);
    expect(nothing.headers['content-type']).toContain('application/problem+json');
    expect(nothing.headers['access-control-allow-origin']).toBe('*');
    // Refused before any route is found (a broken percent escape): still the feed's answer, readable from any site.
    const unreadable = await get('/api/oruk/services/%E0');
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.headers['content-type']).toContain('application/problem+json');
    expect(unreadable.headers['access-control-allow-origin']).toBe('*');
    // The feed's address spelt with an escape is still the feed, answered as the feed.
    const escaped = await get('/api/%6Fruk/services?per_page=1');
    expect(escaped.statusCode).toBe(200);
    expect(escaped.headers['access-control-allow-origin']).toBe('*');
  });

  it('names what is wrong with a body sent to it, as the rest of the platform’s API does', async () => {
    const preflight = (contentType: string, payload: string) => platform.app.inject({ method: 'OPTIONS', url: '/api/oruk/services', headers: { 'content-type': contentType }, payload });
    const unsupported = await preflight('application/xml', '<services/>');
    expect(unsupported.statusCode).toBe(415);
    expect(JSON.parse(unsupported.body)).toMatchObject({ title: 'Unsupported media type', errors: [{ header: 'Content-Type' }] });
    const malformed = await preflight('application/json', '{"services":');
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ title: 'Malformed JSON' });
    expect(malformed.headers['content-type']).toContain('application/problem+json');
  });
});
