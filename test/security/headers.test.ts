import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv } from '../support/production-env.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { signIn, Visitor } from '../support/visitor.js';
import { concreteUrl, routeName, routesOf } from './support/routes.js';

function directives(response: LightMyRequestResponse): Map<string, string> {
  const policy = response.headers['content-security-policy'] ?? '';
  return new Map(policy.split(';').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [name = '', ...values] = part.split(/\s+/);
    return [name, values.join(' ')];
  }));
}

/** The problems with one answer's security headers, as readable lines (empty when all is well). */
function headerProblems(label: string, response: LightMyRequestResponse, openData = false): string[] {
  const csp = directives(response);
  const problems = fixedHeaderProblems(label, response, openData);
  if (!/'nonce-[A-Za-z0-9+/=]{16,}'/.test(csp.get('script-src') ?? '')) problems.push(`${label}: script-src has no nonce`);
  if (csp.get('object-src') !== "'none'") problems.push(`${label}: object-src is not 'none'`);
  return problems;
}

/** The headers even an answer made outside the app's own pages (an address too malformed to route) must carry. */
function fixedHeaderProblems(label: string, response: LightMyRequestResponse, openData = false): string[] {
  const problems: string[] = [];
  const csp = directives(response);
  const policy = response.headers['content-security-policy'] ?? '';
  if (policy.includes('unsafe-inline') || policy.includes('unsafe-eval')) problems.push(`${label}: CSP allows unsafe-inline or unsafe-eval`);
  if (csp.get('frame-ancestors') !== "'none'") problems.push(`${label}: frame-ancestors is not 'none'`);
  if (response.headers['cross-origin-opener-policy'] !== 'same-origin') problems.push(`${label}: Cross-Origin-Opener-Policy is not same-origin`);
  // Only the open data feed is for other sites to read.
  const resourcePolicy = openData ? 'cross-origin' : 'same-origin';
  if (response.headers['cross-origin-resource-policy'] !== resourcePolicy) problems.push(`${label}: Cross-Origin-Resource-Policy is not ${resourcePolicy}`);
  if (!String(response.headers['permissions-policy']).includes('geolocation=()')) problems.push(`${label}: Permissions-Policy does not refuse geolocation`);
  if (response.headers['referrer-policy'] !== 'no-referrer') problems.push(`${label}: Referrer-Policy is not no-referrer`);
  if (response.headers['x-content-type-options'] !== 'nosniff') problems.push(`${label}: no nosniff`);
  if (response.headers['x-frame-options'] !== 'DENY') problems.push(`${label}: X-Frame-Options is not DENY`);
  if (response.headers['x-powered-by'] !== undefined) problems.push(`${label}: says what it is built with`);
  return problems;
}

describe('security headers', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('are on every page the app declares, signed in or not, and on error answers', async () => {
    const admin = await signIn(platform, 'admin@demo.invalid');
    const problems: string[] = [];
    const getRoutes = routesOf(platform.app).filter((route) => route.method === 'GET');
    expect(getRoutes.length).toBeGreaterThan(5);
    for (const route of getRoutes) {
      const url = concreteUrl(route.url);
      const openData = url.startsWith('/api/oruk');
      problems.push(...headerProblems(`${routeName(route)} signed out`, await new Visitor(platform.app).get(url), openData));
      problems.push(...headerProblems(`${routeName(route)} signed in`, await admin.get(url), openData));
    }
    problems.push(...headerProblems('404 page', await platform.app.inject({ url: '/no-such-page' })));
    problems.push(...headerProblems('404 problem', await platform.app.inject({ url: '/api/no-such-thing' })));
    problems.push(...fixedHeaderProblems('broken escape page', await platform.app.inject({ url: '/services/%E0' })));
    problems.push(...fixedHeaderProblems('broken escape problem', await platform.app.inject({ url: '/api/oruk/services/%E0' }), true));
    expect(problems).toEqual([]);
  });

  it('uses a fresh nonce per answer, and every inline script carries the one in the header', async () => {
    const first = await platform.app.inject({ url: '/app/sign-in' });
    const second = await platform.app.inject({ url: '/app/sign-in' });
    const nonceOf = (response: LightMyRequestResponse) => /'nonce-([^']+)'/.exec(directives(response).get('script-src') ?? '')?.[1];
    expect(nonceOf(first)).toBeDefined();
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    const inlineScripts = [...first.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1] ?? '');
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${String(nonceOf(first))}"`);
    expect(first.body).not.toMatch(/\sstyle="/);
    expect(first.body).not.toMatch(/\son[a-z]+="/);
  });

  it('does not send HSTS outside production', async () => {
    const response = await platform.app.inject({ url: '/app/sign-in' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('security headers in production', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false, env: productionEnv() });
  });
  afterAll(() => platform.close());

  it('sends HSTS for two years with subdomains, and marks cookies Secure with the __Secure- prefix', async () => {
    const response = await platform.app.inject({ url: '/app/sign-in' });
    expect(response.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(headerProblems('production sign-in', response)).toEqual([]);
    // Also on an answer made before any route is found.
    const broken = await platform.app.inject({ url: '/services/%E0' });
    expect(broken.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(fixedHeaderProblems('production broken escape page', broken)).toEqual([]);
    expect(response.cookies.length).toBeGreaterThan(0);
    for (const cookie of response.cookies) expect(cookie).toMatchObject({ secure: true, httpOnly: true });
    expect(platform.services.sessionCookie.name).toBe('__Secure-session');
    expect(platform.services.sessionCookie.keptFormName).toBe('__Secure-kept_form');
    // The form cookie is __Host-: only this host, over https, for the whole site, so no sibling host can plant it.
    const formCookie = response.cookies.find((cookie) => cookie.name.endsWith('form_token'));
    expect(formCookie).toMatchObject({ name: '__Host-form_token', secure: true, path: '/' });
    expect(formCookie?.domain).toBeUndefined();
  });

  it('clears a __Secure- cookie with Secure set, or the browser would ignore the clearing', async () => {
    const response = await platform.app.inject({ url: '/app/sso/any-organisation/callback?state=x&code=y', cookies: { '__Secure-sso_flow': 'sealed' } });
    const cleared = response.cookies.find((cookie) => cookie.name === '__Secure-sso_flow');
    expect(cleared).toMatchObject({ value: '', secure: true, httpOnly: true, maxAge: 0 });
  });
});
