import type { Role } from '../../../src/platform/access/policy.js';
import { newTotpSecret } from '../../../src/platform/auth/totp.js';
import { DEMO_PASSWORD, DEMO_PERSONAS } from '../../../src/platform/seed/demo-users.js';
import type { TestPlatform } from '../../support/platform.js';
import { signIn, Visitor } from '../../support/visitor.js';
import { isPermission, rolesGranted } from './routes.js';

export interface SignedInPerson {
  readonly role: Role;
  readonly email: string;
  readonly userId: string;
  readonly totpSecret: string;
  visitor: Visitor;
}

/**
 * Someone holding exactly one role, signed in through the real password and authenticator steps. A demo persona
 * is used where one exists; a role added later without a persona gets a synthetic account made here.
 */
export async function personWithRole(platform: TestPlatform, role: Role): Promise<SignedInPerson> {
  const demo = DEMO_PERSONAS.find((candidate) => candidate.roles.length === 1 && candidate.roles[0] === role);
  const email = demo?.email ?? `quality-${role.replace(/_/g, '-')}@test.invalid`;
  const totpSecret = demo?.totpSecret ?? newTotpSecret();
  const userId = (await platform.services.users.findByEmail(email))?.id ?? (await createPerson(platform, email, role));
  if (!demo) await platform.services.users.setAuthenticatorSecret(userId, totpSecret);
  return { role, email, userId, totpSecret, visitor: await freshSession(platform, email, totpSecret) };
}

async function createPerson(platform: TestPlatform, email: string, role: Role): Promise<string> {
  const organisation = await platform.services.reference.getOrganisationBySlug('kent-county-council');
  if (!organisation) throw new Error('Reference organisations are not seeded');
  return platform.services.users.createActive({ organisationId: organisation.id, email, name: `Quality ${role} (synthetic)`, roles: [role] }, DEMO_PASSWORD);
}

/**
 * Gives the person a new signed-in session after a route under test ended theirs (sign out, sign out everywhere).
 * They proved both factors through the real pages once; repeating argon2 for every renewal would only slow the
 * suites down, so the session is made directly, then a page is loaded so the CSRF token is current.
 */
export async function renewSession(platform: TestPlatform, person: SignedInPerson): Promise<void> {
  const { services, app } = platform;
  const token = await services.sessions.rotate(undefined, person.userId, 'complete', '127.0.0.1');
  const visitor = new Visitor(app);
  visitor.useCookie(services.sessionCookie.name, token);
  const page = await visitor.get('/app/account');
  if (page.statusCode !== 200) throw new Error(`A renewed session for ${person.email} answered ${String(page.statusCode)}`);
  person.visitor = visitor;
}

export async function isSignedIn(platform: TestPlatform, visitor: Visitor): Promise<boolean> {
  if (!visitor.cookie(platform.services.sessionCookie.name)) return false;
  return (await visitor.get('/app/account')).statusCode === 200;
}

/** A signed-out visitor holding a valid pre-sign-in form token (the sign-in page issues one). */
export async function anonymousVisitor(platform: TestPlatform): Promise<Visitor> {
  const visitor = new Visitor(platform.app);
  await visitor.get('/app/sign-in');
  return visitor;
}

/** Someone who has passed the password step but not yet the second factor. */
export async function passwordStageVisitor(platform: TestPlatform, email: string): Promise<Visitor> {
  const visitor = await anonymousVisitor(platform);
  const response = await visitor.post('/app/sign-in', { email, password: DEMO_PASSWORD });
  if (response.statusCode !== 303) throw new Error(`Password step failed for ${email}: ${String(response.statusCode)}`);
  await visitor.get('/app/sign-in/code');
  return visitor;
}

async function freshSession(platform: TestPlatform, email: string, totpSecret: string): Promise<Visitor> {
  const visitor = await signIn(platform, email, new Date(), totpSecret);
  // Every signed-in page carries the sign-out form, so one page load gives the session's CSRF token.
  const home = await visitor.get('/app/account');
  if (home.statusCode !== 200) throw new Error(`Signed-in account page answered ${String(home.statusCode)} for ${email}`);
  return visitor;
}

/**
 * Hands out a suitable visitor for any declared route: a signed-in person holding a role the policy grants for
 * permission routes (the system administrator where possible), someone between password and code for the
 * second-factor pages, and a signed-out visitor with a form token otherwise. People are signed in once and
 * signed in again if a route under test ended their session.
 */
export class Cast {
  private readonly people = new Map<Role, SignedInPerson>();
  private stagedVisitor: Visitor | undefined;

  constructor(private readonly platform: TestPlatform) {}

  async visitorFor(access: string): Promise<Visitor> {
    if (access === 'password-stage') {
      this.stagedVisitor ??= await passwordStageVisitor(this.platform, 'admin@demo.invalid');
      return this.stagedVisitor;
    }
    const role = roleFor(access);
    if (!role) return anonymousVisitor(this.platform);
    let person = this.people.get(role);
    if (!person) {
      person = await personWithRole(this.platform, role);
      this.people.set(role, person);
    } else if (!(await isSignedIn(this.platform, person.visitor))) {
      await renewSession(this.platform, person);
    }
    return person.visitor;
  }

  /** Forgets the half-signed-in visitor, e.g. after a test locked the account or completed the step. */
  resetPasswordStage(): void {
    this.stagedVisitor = undefined;
  }
}

export function roleFor(access: string): Role | undefined {
  if (!isPermission(access)) return undefined;
  const granted = rolesGranted(access);
  return granted.includes('system_admin') ? 'system_admin' : granted[0];
}
