import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { can, PERMISSIONS, ROLE_NAMES, type Actor, type Role } from '../../src/platform/access/policy.js';
import type { DeclaredRoute } from '../../src/platform/http/access.js';
import { createLogger } from '../../src/platform/logging.js';
import type { FeatureModule } from '../../src/platform/modules.js';
import { MODULES } from '../../src/modules/index.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { Visitor } from '../support/visitor.js';
import { anonymousVisitor, isSignedIn, passwordStageVisitor, personWithRole, renewSession, type SignedInPerson } from './support/people.js';
import { isRedirectToSignIn, sendAs } from './support/requests.js';
import { concreteUrl, isPermission, routeName, routesOf } from './support/routes.js';

/**
 * Generated from the routes the app itself declares, so a module added later is walked without editing this
 * file: every professional route with every role, answered exactly as the one policy function says.
 */
describe('access matrix', () => {
  let platform: TestPlatform;
  let routes: DeclaredRoute[];
  const people = new Map<Role, SignedInPerson>();

  beforeAll(async () => {
    const base = await createTestPlatform();
    // The real modules plus one probe route per permission, so every grant and refusal is exercised even before
    // a module uses that permission; the probes go through exactly the same access control as real routes.
    const app = await buildApp({ services: base.services, logger: createLogger('silent'), modules: [...MODULES, permissionProbes] });
    await app.ready();
    platform = { ...base, app, close: async () => { await app.close(); await base.close(); } };
    routes = routesOf(platform.app);
    for (const role of ROLE_NAMES) people.set(role, await personWithRole(platform, role));
  });
  afterAll(() => platform.close());

  /** Reads first, then the state-changing routes, so a sign-out under test cannot hide a later read. */
  const permissionRoutes = () =>
    routes.filter((route) => isPermission(route.access)).sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));

  it('walks the routes the app declares, including those every installation has', () => {
    const names = routes.map(routeName);
    expect(names).toEqual(expect.arrayContaining(['GET /app', 'GET /app/account', 'POST /app/sign-out', 'GET /app/sign-in', 'POST /app/sign-in']));
    expect(names).toEqual(expect.arrayContaining(PERMISSIONS.map((permission) => `POST /app/probe/${permission}/:id`)));
  });

  it.each(ROLE_NAMES)('%s gets 403 exactly where the policy refuses, and each refusal is audited', { timeout: 180_000 }, async (role) => {
    const person = people.get(role);
    if (!person) throw new Error(`No signed-in ${role}`);
    const user = await platform.services.users.get(person.userId);
    if (!user) throw new Error(`No user for ${role}`);
    const actor: Actor = { userId: user.id, organisationId: user.organisationId, roles: user.roles };
    const mismatches: string[] = [];

    for (const route of permissionRoutes()) {
      if (!isPermission(route.access)) continue;
      const allowed = can(actor, route.access);
      const deniedBefore = await deniedEvents(platform, person.userId, route);
      const response = await sendAs(person.visitor, route.method, concreteUrl(route.url));
      const label = `${routeName(route)} [${route.access}] answered ${String(response.statusCode)}`;
      if (allowed && response.statusCode === 403) mismatches.push(`${label} although the policy allows it`);
      if (!allowed && response.statusCode !== 403) mismatches.push(`${label} although the policy refuses it`);
      if (!allowed && (await deniedEvents(platform, person.userId, route)) !== deniedBefore + 1) {
        mismatches.push(`${label} without exactly one ACCESS_DENIED audit event`);
      }
      if (route.method !== 'GET' && !(await isSignedIn(platform, person.visitor))) await renewSession(platform, person);
    }
    expect(mismatches).toEqual([]);
  });

  it('sends a signed-out visitor to sign in (pages) or answers 401 (forms) on every protected route', { timeout: 120_000 }, async () => {
    const visitor = await anonymousVisitor(platform);
    const wrong = await walkProtected(visitor, routes);
    expect(wrong).toEqual([]);
  });

  it('lets someone who has only passed the password step no further than a signed-out visitor', { timeout: 120_000 }, async () => {
    const visitor = await passwordStageVisitor(platform, 'admin@demo.invalid');
    const wrong = await walkProtected(visitor, routes.filter((route) => route.access !== 'password-stage'));
    expect(wrong).toEqual([]);
  });

  it('never starts a session on a public route, and sets a cookie only where a form needs one', async () => {
    const problems: string[] = [];
    for (const route of routes.filter((candidate) => candidate.access === 'public' && candidate.method === 'GET')) {
      const response = await new Visitor(platform.app).get(concreteUrl(route.url));
      const names = response.cookies.map((cookie) => cookie.name);
      if (names.includes(platform.services.sessionCookie.name)) problems.push(`${routeName(route)} set a session cookie`);
      if (names.length > 0 && !response.body.includes('name="_csrf"')) problems.push(`${routeName(route)} set ${names.join(', ')} without a form`);
      if (response.statusCode >= 500) problems.push(`${routeName(route)} answered ${String(response.statusCode)}`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses to build an app with a route that declares no access, or an unknown one', async () => {
    const undeclared: FeatureModule = {
      name: 'undeclared',
      surface: 'professional',
      viewFolders: [],
      register(app) {
        app.get('/app/forgot-to-declare', () => 'open to all');
      },
    };
    const misspelt: FeatureModule = {
      ...undeclared,
      register(app) {
        app.get('/app/misspelt', { config: { access: 'everyone' as never } }, () => 'open to all');
      },
    };
    // Only a public form may be taken without a form token: a signed-in one would be open to forgery.
    const tokenless: FeatureModule = {
      ...undeclared,
      register(app) {
        app.post('/app/quietly-tokenless', { config: { access: 'account.use', changesNothing: true } }, () => 'changed');
      },
    };
    const build = (module: FeatureModule) => buildApp({ services: platform.services, logger: createLogger('silent'), modules: [...MODULES, module] });
    await expect(build(undeclared)).rejects.toThrow(/GET \/app\/forgot-to-declare declares no valid access/);
    await expect(build(misspelt)).rejects.toThrow(/GET \/app\/misspelt declares no valid access/);
    await expect(build(tokenless)).rejects.toThrow(/POST \/app\/quietly-tokenless takes forms without a token \(changesNothing\) but is not public/);
  });

  async function walkProtected(visitor: Visitor, candidates: readonly DeclaredRoute[]): Promise<string[]> {
    const wrong: string[] = [];
    for (const route of candidates.filter((candidate) => candidate.access !== 'public' && candidate.access !== 'anonymous')) {
      const response = await sendAs(visitor, route.method, concreteUrl(route.url));
      const expected = route.method === 'GET' ? isRedirectToSignIn(response) : response.statusCode === 401;
      if (!expected) wrong.push(`${routeName(route)} [${route.access}] answered ${String(response.statusCode)} ${response.headers.location ?? ''}`);
      // HEAD must answer as GET does.
      if (route.method !== 'GET') continue;
      const head = await visitor.request('HEAD', concreteUrl(route.url));
      if (!isRedirectToSignIn(head)) wrong.push(`HEAD ${route.url} [${route.access}] answered ${String(head.statusCode)}, unlike GET`);
    }
    return wrong;
  }
});

async function deniedEvents(platform: TestPlatform, userId: string, route: DeclaredRoute): Promise<number> {
  const rows = await platform.services.db.kysely
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'ACCESS_DENIED')
    .where('actor_user_id', '=', userId)
    .where('outcome', '=', 'denied')
    .execute();
  return rows.filter((row) => {
    const details = JSON.parse(row.details) as { route?: string; method?: string; permission?: string };
    return details.route === route.url && details.method === route.method && details.permission === route.access;
  }).length;
}

/** A GET and a POST route per permission, answering 200 when the access check lets the request through. */
const permissionProbes: FeatureModule = {
  name: 'permission-probes',
  surface: 'professional',
  viewFolders: [],
  register(app) {
    for (const permission of PERMISSIONS) {
      app.get(`/app/probe/${permission}`, { config: { access: permission } }, () => 'allowed');
      app.post(`/app/probe/${permission}/:id`, { config: { access: permission } }, () => 'allowed');
    }
  },
};
