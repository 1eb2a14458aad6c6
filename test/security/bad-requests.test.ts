import net, { type AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/platform/http/body-limit.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { signIn, Visitor } from '../support/visitor.js';
import { Cast } from './support/people.js';
import { INTERNAL_DETAIL, withProbes } from './support/probes.js';
import { isApiUrl, leakedInternals } from './support/requests.js';
import { concreteUrl, routeName, routesOf, STATE_CHANGING_METHODS } from './support/routes.js';
import { changedTables, snapshotDatabase } from './support/snapshot.js';

const REFERENCE = /Reference: <span class="app-reference">([^<]+)<\/span>/;

function expectPlainErrorPage(response: LightMyRequestResponse, status: number): void {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.body).toMatch(REFERENCE);
  expect(leakedInternals(response.body)).toBeUndefined();
}

function expectProblem(response: LightMyRequestResponse, status: number): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json<Record<string, unknown>>();
  expect(problem).toMatchObject({ status, type: 'about:blank' });
  expect(typeof problem['title']).toBe('string');
  expect(String(problem['instance'])).toMatch(/^urn:request:/);
  expect(leakedInternals(response.body)).toBeUndefined();
  return problem;
}

describe('bad requests get a clear answer, change nothing and show no internals', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await withProbes(await createTestPlatform());
  });
  afterAll(() => platform.close());

  it('refuses every state-changing form without a CSRF token, or with a wrong one, and changes nothing', { timeout: 120_000 }, async () => {
    const cast = new Cast(platform);
    const everyForm = routesOf(platform.app).filter((route) => STATE_CHANGING_METHODS.includes(route.method) && !isApiUrl(route.url));
    // Taken without a token: only the finder's search, which leads to a page and changes nothing (checked below).
    expect(everyForm.filter((route) => route.changesNothing).map(routeName)).toEqual(['POST /services']);
    const forms = everyForm.filter((route) => !route.changesNothing);
    expect(forms.map(routeName)).toEqual(expect.arrayContaining(['POST /app/sign-in', 'POST /app/sign-out']));
    const problems: string[] = [];
    for (const route of forms) {
      const visitor = await cast.visitorFor(route.access);
      for (const token of [null, 'forged-token', `${visitor.lastCsrf}x`]) {
        const before = await snapshotDatabase(platform.services.db);
        const body = new URLSearchParams({ email: 'admin@demo.invalid', password: DEMO_PASSWORD, name: 'Forged Request' });
        if (token !== null) body.append('_csrf', token);
        const response = await visitor.request(route.method, concreteUrl(route.url), { contentType: 'application/x-www-form-urlencoded', payload: body.toString() });
        const changed = changedTables(before, await snapshotDatabase(platform.services.db));
        const label = `${routeName(route)} with ${token === null ? 'no token' : 'a wrong token'}`;
        if (response.statusCode !== 403 || !response.body.includes('This form has expired')) problems.push(`${label} answered ${String(response.statusCode)}`);
        if (changed.length > 0) problems.push(`${label} changed ${changed.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);

    const before = await snapshotDatabase(platform.services.db);
    const search = await platform.app.inject({ method: 'POST', url: '/services', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'location=Margate' });
    expect(search.statusCode).toBe(303);
    expect(changedTables(before, await snapshotDatabase(platform.services.db))).toEqual([]);
  });

  it('refuses a form sent with the token of a different session', async () => {
    const admin = await signIn(platform, 'admin@demo.invalid');
    await admin.get('/app/account');
    const other = await signIn(platform, 'auditor@demo.invalid');
    const response = await other.post('/app/account/sign-out-everywhere', {}, { csrf: admin.lastCsrf });
    expect(response.statusCode).toBe(403);
    expect((await other.get('/app/account')).statusCode).toBe(200);
  });

  it('once signed in, refuses a form token bound to a planted form cookie: only the session’s own token counts', async () => {
    const stranger = new Visitor(platform.app);
    await stranger.get('/app/sign-in');
    const planted = stranger.cookie('form_token');
    expect(planted).toBeDefined();
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    practitioner.useCookie('form_token', planted ?? '');
    const before = await snapshotDatabase(platform.services.db);
    const response = await practitioner.post('/app/account/sign-out-everywhere', {}, { csrf: stranger.lastCsrf });
    expect(response.statusCode).toBe(403);
    expect(changedTables(before, await snapshotDatabase(platform.services.db))).toEqual([]);
    expect((await practitioner.get('/app/account')).statusCode).toBe(200);
  });

  it('answers an oversized form with a 413 page and an oversized API body with a 413 problem', async () => {
    const visitor = new Visitor(platform.app);
    await visitor.get('/app/sign-in');
    const huge = 'x'.repeat(BODY_LIMIT_BYTES + 1024);
    const before = await snapshotDatabase(platform.services.db);
    const form = await visitor.post('/app/sign-in', { email: 'admin@demo.invalid', password: huge });
    expectPlainErrorPage(form, 413);
    expect(form.body).toContain('Request too large');
    expect(form.body).toContain('(up to 256 KB in all), so nothing was saved. Shorten it, then send it again.');
    const api = await platform.app.inject({ method: 'POST', url: '/api/probe/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ huge }) });
    expectProblem(api, 413);
    // Only the open data feed is readable from other sites.
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
    expect(changedTables(before, await snapshotDatabase(platform.services.db))).toEqual([]);
  });

  it('answers malformed, empty or wrongly typed JSON on the API with a 400 or 415 problem', async () => {
    const send = (payload: string, contentType = 'application/json') =>
      platform.app.inject({ method: 'POST', url: '/api/probe/echo', headers: { 'content-type': contentType }, payload });
    expect(expectProblem(await send('{"name": "unterminated'), 400)['title']).toBe('Malformed JSON');
    expect(expectProblem(await send('{"__proto__": {"polluted": true}}'), 400)['title']).toBe('Field name not accepted');
    expect(expectProblem(await send('{"constructor": {"prototype": {}}}'), 400)['title']).toBe('Field name not accepted');
    expectProblem(await send(''), 400);
    expectProblem(await send('<xml/>', 'application/xml'), 415);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // Parsed, but deep enough to overflow code that walks it by recursion.
    expect(expectProblem(await send(`${'['.repeat(5000)}${']'.repeat(5000)}`), 400)['detail']).toContain('nested');
    expect(expectProblem(await send(`{"a":${'{"a":'.repeat(40)}1${'}'.repeat(41)}`), 400)['detail']).toContain('nested');
    // A field given twice: JSON.parse would keep the second silently, so which was meant is not clear.
    const repeated = expectProblem(await send('{"dash": {"q6": "no", "q7": "yes", "q7": "no"}, "list": [{"a/b": 1}, {"a/b": 2, "a/b": 3}]}'), 400);
    expect(repeated['errors']).toEqual([{ pointer: '/dash/q7', detail: 'Given more than once in the same object.' }]);
    const inArray = expectProblem(await send('{"list": [{"a/b": 1}, {"x": "\\"}", "a/b": 2, "a/b": 3}]}'), 400);
    expect(inArray['errors']).toEqual([{ pointer: '/list/1/a~1b', detail: 'Given more than once in the same object.' }]);
    expect((await send('{"same": {"q7": 1}, "other": {"q7": 2}, "text": "q7, q7"}')).statusCode).toBe(200);
  });

  it('refuses JSON or plain text sent to a page’s form, whatever it holds, and changes nothing', async () => {
    const editor = await signIn(platform, 'editor@demo.invalid');
    await editor.get('/app/directory/services/new');
    const before = await snapshotDatabase(platform.services.db);
    const headers = { 'x-csrf-token': editor.lastCsrf };
    for (const payload of ['{"referral":1}', '{"name":{"a":1}}', 'null']) {
      expectPlainErrorPage(await editor.request('POST', '/app/directory/services/new', { contentType: 'application/json', payload, headers }), 415);
    }
    expectPlainErrorPage(await editor.request('POST', '/app/directory/services/new', { contentType: 'text/plain', payload: 'name=x', headers }), 415);
    expectPlainErrorPage(await platform.app.inject({ method: 'POST', url: '/app/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"email":1}' }), 415);
    expect(changedTables(before, await snapshotDatabase(platform.services.db))).toEqual([]);
  });

  it('shows a 404 page with a reference for an unknown page, and a problem for an unknown API address', async () => {
    for (const url of ['/no-such-page', '/app/no-such-page', '/app/no-such/deeper/page?x=1']) {
      const response = await platform.app.inject({ url });
      expectPlainErrorPage(response, 404);
      expect(response.body).toContain('Page not found');
    }
    expectProblem(await platform.app.inject({ url: '/api/no-such-thing' }), 404);
    expectProblem(await platform.app.inject({ url: '/api' }), 404);
  });

  it('answers a method an address does not take with 405 and the methods it does take, and changes nothing', async () => {
    const before = await snapshotDatabase(platform.services.db);
    for (const [method, url, allow] of [
      ['PUT', '/', 'GET, HEAD'],
      ['DELETE', '/services?location=Margate', 'GET, HEAD, POST'],
      ['PATCH', '/app/sign-in', 'GET, HEAD, POST'],
      ['DELETE', '/api/oruk/services', 'GET, HEAD, OPTIONS'],
      ['POST', '/api/oruk/services/0190a6f0-0000-7000-8000-000000000000', 'GET, HEAD, OPTIONS'],
      ['PUT', '/api/v1/referrals', 'POST'],
    ] as const) {
      const response = await platform.app.inject({ method, url });
      if (isApiUrl(url)) expect(String(expectProblem(response, 405)['detail'])).toContain(`does not accept ${method}`);
      else expectPlainErrorPage(response, 405);
      expect(response.headers['allow']).toBe(allow);
    }
    expect(changedTables(before, await snapshotDatabase(platform.services.db))).toEqual([]);
  });

  it('answers an address with a broken escape, and one too long to read, with a plain page that repeats nothing of it', async () => {
    const broken = await platform.app.inject({ url: '/services/%E0%A4%A/call-back' });
    expectPlainErrorPage(broken, 400);
    expect(broken.body).not.toContain('%E0');
    expect(broken.headers['content-security-policy']).toContain("default-src 'none'");
    expect(broken.headers['content-security-policy']).toContain("script-src 'self' 'sha256-");
    expect(broken.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(broken.headers['cache-control']).toBe('no-store');
    // Anyone may arrive by a mangled link: the public pages' own way out (button and skip link), and every number the help-now panel shows.
    expect(broken.body).toMatch(/<a href="https:\/\/www\.bbc\.co\.uk\/weather" draggable="false" rel="nofollow noreferrer" class="[^"]*govuk-exit-this-page__button/);
    expect(broken.body).toContain('class="govuk-skip-link govuk-js-exit-this-page-skiplink"');
    expect(broken.body).toContain('<script type="module" src="/assets/own/public.js"></script>');
    for (const dial of ['999', '101', '08082000247', '08088010327', '18001101']) expect(broken.body).toContain(`href="tel:${dial}"`);
    expectProblem(await platform.app.inject({ url: '/api/oruk/services/%E0%A4%A' }), 400);

    // Too long for the HTTP parser, or not HTTP at all: it never reaches the app, so only a real connection shows the answer.
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = platform.app.server.address() as AddressInfo;
    const sendRaw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('close', () => {
          resolve(received);
        });
        socket.on('error', reject);
      });
    const answer = await sendRaw(`GET /services?location=${'secret-place-'.repeat(3000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/\r\nContent-Type: text\/html/);
    expect(answer).toMatch(/\r\nReferrer-Policy: no-referrer/);
    expect(answer).toContain('That web address or request is too long');
    expect(answer).toMatch(/Reference: <span class="app-reference">[2-9B-Z]{4}-[2-9B-Z]{4}<\/span>/);
    expect(answer).toContain('govuk-exit-this-page__button');
    expect(answer).toContain('href="tel:08082000247"');
    expect(answer).not.toContain('secret-place');

    // A partner's program calling the feed gets a problem document it can read, with the same kind of reference.
    const api = await sendRaw(`GET /api/oruk/services?search=${'secret-search-'.repeat(3000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(api).toMatch(/^HTTP\/1\.1 431 /);
    expect(api).toMatch(/\r\nContent-Type: application\/problem\+json/);
    expect(api).toMatch(/\r\nAccess-Control-Allow-Origin: \*\r\n/);
    const problem = JSON.parse(api.slice(api.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 431, title: 'That web address or request is too long' });
    expect(String(problem['instance'])).toMatch(/^urn:request:[2-9B-Z]{4}-[2-9B-Z]{4}$/);
    expect(api).not.toContain('secret-search');

    const garbage = await sendRaw('GARBAGE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/Reference: <span class="app-reference">[2-9B-Z]{4}-[2-9B-Z]{4}<\/span>/);
  });

  it('shows a 500 page with only a reference number when a handler fails, and logs the detail under it', async () => {
    const admin = await signIn(platform, 'admin@demo.invalid');
    for (const response of [await admin.get('/app/probe/throws'), await platform.app.inject({ url: '/probe/throws' })]) {
      expectPlainErrorPage(response, 500);
      expect(response.body).not.toContain(INTERNAL_DETAIL);
      expect(response.body).not.toContain('vault-7');
      expect(response.body).toContain('Sorry, there is a problem with the service');
    }
  });

  it('says the service is unavailable (503, try again shortly) when the database cannot be used, in the reader’s language', async () => {
    const page = await platform.app.inject({ url: '/probe/database-gone' });
    expectPlainErrorPage(page, 503);
    expect(page.body).toContain('Sorry, the service is unavailable');
    expect(page.body).not.toContain('administrator command');
    expect((await platform.app.inject({ url: '/probe/database-gone?lang=pl' })).body).toContain('Przepraszamy, serwis jest niedostępny');
    const problem = expectProblem(await platform.app.inject({ url: '/api/probe/database-gone' }), 503);
    expect(JSON.stringify(problem)).not.toContain('10.0.0.7');
  });
});

describe('rate limits', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await withProbes(await createTestPlatform({ demo: false, env: { RATE_LIMIT_PER_MINUTE: '5' } }));
  });
  afterAll(() => platform.close());

  it('answer 429 with a plain page, then a problem on the API, once an address has made too many requests', async () => {
    const answers: number[] = [];
    for (let count = 0; count < 5; count += 1) answers.push((await platform.app.inject({ url: '/app/sign-in', remoteAddress: '203.0.113.9' })).statusCode);
    expect(answers).toEqual([200, 200, 200, 200, 200]);
    const page = await platform.app.inject({ url: '/app/sign-in', remoteAddress: '203.0.113.9' });
    expectPlainErrorPage(page, 429);
    expect(page.body).toContain('Too many requests');
    expect(page.headers['retry-after']).toBeDefined();
    expectProblem(await platform.app.inject({ method: 'POST', url: '/api/probe/echo', remoteAddress: '203.0.113.9', payload: {} }), 429);
    expect((await platform.app.inject({ url: '/app/sign-in', remoteAddress: '203.0.113.10' })).statusCode).toBe(200);
    // The files a page needs are still served: without its script, the quick exit could not clear the history entry.
    for (const asset of ['/assets/own/public.css', '/assets/own/public.js', '/assets/govuk-frontend.min.js']) {
      expect((await platform.app.inject({ url: asset, remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    }
  });
});
