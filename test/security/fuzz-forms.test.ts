import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeclaredRoute } from '../../src/platform/http/access.js';
import { createTestPlatform } from '../support/platform.js';
import type { Visitor } from '../support/visitor.js';
import { crawl, type FoundForm } from './support/crawl.js';
import { Cast, roleFor } from './support/people.js';
import { isApiUrl, leakedInternals } from './support/requests.js';
import { concreteUrl, matchesPattern, routeName, routesOf, STATE_CHANGING_METHODS } from './support/routes.js';
import { changedTables, snapshotDatabase, writeMarker, type DatabaseSnapshot } from './support/snapshot.js';

/** Bounded so the whole suite stays quick; fast-check prints the seed of any failure to replay it. */
const RUNS_PER_ROUTE = 25;

const platform = await createTestPlatform();
const cast = new Cast(platform);
/**
 * Signed-in routes first, then the second-factor step, then pre-sign-in forms: random sign-in attempts lock the
 * address, which would otherwise stop the people signing in for the routes after them.
 */
const stage = (route: DeclaredRoute) => (route.access === 'anonymous' || route.access === 'public' ? 2 : route.access === 'password-stage' ? 1 : 0);
const targets = routesOf(platform.app)
  .filter((route) => STATE_CHANGING_METHODS.includes(route.method))
  .sort((a, b) => stage(a) - stage(b));

const pagePatterns = routesOf(platform.app).filter((route) => route.method === 'GET').map((route) => route.url);
const shapeOf = (url: string) => pagePatterns.find((pattern) => matchesPattern(pattern, url)) ?? url;

const awkward = fc.constantFrom(
  '', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '2024-02-30', '99999999999999999999', '0x1F',
  '<script>alert(1)</script>', '"><img src=x>', "' OR '1'='1' --", '%00', '\u0000', '\u202e', '../../../etc/passwd',
  'ＡＢＣ', '𝕬𝖇𝖈 🏳️‍⚧️ 👩‍👩‍👧', 'Ünïcödé naïve café', 'x'.repeat(5_000), '9'.repeat(400),
);
const text = fc.oneof(
  { weight: 3, arbitrary: awkward },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1_000, maxLength: 3_000 }) },
);
const awkwardKeys = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'a[b]', 'version', 'id', 'x'.repeat(300)];

function formBody(fieldNames: readonly string[]) {
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fieldNames, ...awkwardKeys) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }).filter((name) => name !== '_csrf');
  const value = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 4 }) });
  // Pairs rather than an object, so repeated names (arrays) and `__proto__` reach the parser as sent.
  return fc.array(fc.tuple(key, value), { maxLength: 12 });
}

/** Files: random bytes, some starting as an MP4 or a WebVTT file does, so the checks past the first are reached too. */
const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 3_000 }),
  fc.uint8Array({ maxLength: 3_000 }).map((rest) => new Uint8Array([0, 0, 0, 24, ...Buffer.from('ftypisom'), ...rest])),
  fc.string({ maxLength: 400 }).map((cues) => new Uint8Array(Buffer.from(`WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${cues}\n`))),
);

const jsonBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.object({ key: fc.constantFrom('__proto__', 'constructor', 'name', 'id', 'email', 'version') }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('random input to every form and API', () => {
  const formsByRole = new Map<string, readonly FoundForm[]>();
  afterAll(() => platform.close());

  it('reaches the forms the app declares', () => {
    expect(targets.map(routeName)).toEqual(expect.arrayContaining(['POST /app/sign-in', 'POST /app/sign-in/code', 'POST /app/password-reset']));
  });

  it.each(targets.map((route) => [routeName(route), route] as const))('%s: never a 5xx or an internal detail; a refusal changes nothing', { timeout: 300_000 }, async (_name, route) => {
    const db = platform.services.db;
    // Each route starts with a clear throttle so earlier routes' failed sign-ins do not mask this one's checks.
    await db.kysely.deleteFrom('sign_in_throttle').execute();
    const found = await formsFor(route);
    const url = found[0]?.action ?? concreteUrl(route.url);
    const fieldNames = [...new Set(found.flatMap((form) => form.fields))];
    let marker = await writeMarker(db);
    let before: DatabaseSnapshot = await snapshotDatabase(db);

    const check = async (response: LightMyRequestResponse, sent: string) => {
      const leak = leakedInternals(response.body);
      let changed: string[] = [];
      const markerNow = await writeMarker(db);
      // Snapshots are only needed when something was written at all (the audit trail often is; forms rarely).
      if (markerNow !== marker) {
        const after = await snapshotDatabase(db);
        if (response.statusCode >= 400 && response.statusCode < 500) changed = changedTables(before, after);
        before = after;
        marker = markerNow;
      }
      if (response.statusCode >= 500 || leak || changed.length > 0) {
        throw new Error(`${route.method} ${url} answered ${String(response.statusCode)}${leak ? `, showing ${leak}` : ''}${changed.length ? `, but changed ${changed.join(', ')}` : ''}\nsent: ${sent.slice(0, 500)}`);
      }
    };

    if (isApiUrl(route.url)) {
      await fc.assert(
        fc.asyncProperty(jsonBody, async (payload) => {
          const visitor = await cast.visitorFor(route.access);
          await check(await visitor.request(route.method, url, { contentType: 'application/json', payload }), payload);
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      return;
    }
    const fileNames = [...new Set(found.flatMap((form) => form.files))];
    if (fileNames.length > 0) {
      // An upload form: its fields and random files, sent as a browser sends it, through the route's own multipart reading.
      await fc.assert(
        fc.asyncProperty(formBody(fieldNames), fc.array(fc.tuple(fc.constantFrom(...fileNames), fileBytes), { maxLength: 3 }), async (pairs, files) => {
          const visitor = await cast.visitorFor(route.access);
          const form = new FormData();
          form.append('_csrf', visitor.lastCsrf);
          for (const [key, value] of pairs) for (const item of [value].flat()) form.append(key, item);
          for (const [key, bytes] of files) form.append(key, new Blob([bytes]), `${key}.bin`);
          const request = new Request('http://fuzz.invalid/', { method: 'POST', body: form });
          const payload = Buffer.from(await request.arrayBuffer());
          await check(await visitor.request(route.method, url, { contentType: request.headers.get('content-type') ?? '', payload }), payload.toString('latin1'));
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      return;
    }
    await fc.assert(
      fc.asyncProperty(formBody(fieldNames), async (pairs) => {
        const visitor = await cast.visitorFor(route.access);
        const body = new URLSearchParams();
        for (const [key, value] of pairs) for (const item of [value].flat()) body.append(key, item);
        body.append('_csrf', visitor.lastCsrf);
        await check(await visitor.request(route.method, url, { contentType: 'application/x-www-form-urlencoded', payload: body.toString() }), body.toString());
      }),
      { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
  });

  /** Forms found by crawling as the person the route is for, whose action fits the route's pattern. */
  async function formsFor(route: DeclaredRoute): Promise<FoundForm[]> {
    const key = route.access === 'password-stage' ? 'password-stage' : (roleFor(route.access) ?? 'signed-out');
    let forms = formsByRole.get(key);
    if (!forms) {
      const visitor: Visitor = await cast.visitorFor(route.access);
      const start = key === 'signed-out' ? ['/', '/app/sign-in', '/app/password-reset'] : key === 'password-stage' ? ['/app/sign-in/code'] : ['/app'];
      forms = (await crawl(visitor, start, { shapeOf })).forms;
      formsByRole.set(key, forms);
    }
    return forms.filter((form) => form.method === route.method && matchesPattern(route.url, form.action));
  }
});
