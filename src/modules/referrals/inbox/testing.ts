import type { Role } from '../../../platform/access/policy.js';
import { DEMO_PASSWORD } from '../../../platform/seed/demo-users.js';
import type { TestPlatform } from '../../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../../test/support/visitor.js';
import { DASH_KEYS } from '../checklist.js';
import type { NeedCode } from '../rules/schema.js';
import type { ReferralInput } from '../schemas.js';
import type { RouteKind } from '../tables.js';

/** Helpers for the inbox tests: obviously synthetic referrals sent through the real service, and receivers. */

export interface SyntheticReferral {
  readonly district: string;
  readonly yes?: number;
  readonly needs?: readonly NeedCode[];
  readonly name?: string;
}

export function syntheticInput(referral: SyntheticReferral): ReferralInput {
  const yes = new Set(DASH_KEYS.slice(0, referral.yes ?? 4));
  return {
    district: referral.district,
    person: { firstName: 'Test Person', lastName: referral.name ?? 'Inbox', otherNames: null, dateOfBirth: '1990-02-03', address: '1 Synthetic Road (test)', postcode: null, phone: '07700 900555', email: null, gender: 'woman' },
    safeContact: { safeToContact: 'yes', phone: '07700 900555', email: null, times: 'Mornings (synthetic)', mayLeaveMessage: 'no', notes: null, interpreterLanguage: null },
    childrenInHousehold: 'no',
    children: [],
    otherDependants: 'no',
    adults: [],
    needs: referral.needs ?? [],
    personCausingHarm: { firstName: 'Test Harm-Causer', lastName: referral.name ?? 'Inbox', otherNames: null, dateOfBirth: null, address: null, postcode: null, phone: null, email: null, gender: null, relationship: 'ex_partner', notes: null },
    dash: Object.fromEntries(DASH_KEYS.map((key) => [key, { answer: yes.has(key) ? 'yes' : 'no', note: null, source: null }])),
    professionalJudgement: { applies: false, reasons: null },
    seriousHarmRisk: 'no',
    suicideSelfHarmRisk: 'no',
    incidentDates: [],
    consent: { status: 'given', lawfulBasis: null, notes: null },
    equality: { gender: null, ethnicity: null, sexualOrientation: null, disability: null, religion: null },
    referrer: { name: 'Test Referrer (synthetic)', phone: null, email: null },
  };
}

/** Sends a referral as the demo practitioner; returns its id. */
export async function sendReferral(platform: TestPlatform, referral: SyntheticReferral): Promise<string> {
  const { services } = platform;
  const practitioner = await services.users.findByEmail('practitioner@demo.invalid');
  if (!practitioner) throw new Error('demo practitioner missing');
  const outcome = await services.referrals.submit({ kind: 'user', userId: practitioner.id, organisationId: practitioner.organisationId }, syntheticInput(referral), { ip: '127.0.0.1', requestId: 'test' });
  return outcome.id;
}

export async function routeOf(platform: TestPlatform, referralId: string, organisationSlug: string, kind?: RouteKind) {
  const row = await platform.services.db.kysely
    .selectFrom('referral_routes')
    .innerJoin('organisations', 'organisations.id', 'referral_routes.organisation_id')
    .selectAll('referral_routes')
    .where('referral_routes.referral_id', '=', referralId)
    .where('organisations.slug', '=', organisationSlug)
    .$if(kind !== undefined, (qb) => qb.where('referral_routes.kind', '=', kind as RouteKind))
    .orderBy('referral_routes.position', 'desc')
    .executeTakeFirst();
  if (!row) throw new Error(`no route of ${referralId} to ${organisationSlug}`);
  return row;
}

let counter = 0;

/** A receiver in another organisation, signed in (a fixed synthetic TOTP secret). */
export async function signInReceiver(platform: TestPlatform, organisationSlug: string, roles: readonly Role[] = ['service_manager']): Promise<Visitor> {
  const { services } = platform;
  const organisation = await services.reference.getOrganisationBySlug(organisationSlug);
  if (!organisation) throw new Error(`no organisation ${organisationSlug}`);
  counter += 1;
  const email = `receiver-${String(counter)}-${organisationSlug}@test.invalid`;
  const secret = 'TESTRECEIVERAAAAAAAAAAAAAAAAAAAA';
  const id = await services.users.createActive({ organisationId: organisation.id, email, name: `Test Receiver ${String(counter)} (synthetic)`, roles }, DEMO_PASSWORD);
  await services.users.setAuthenticatorSecret(id, secret);
  return signIn(platform, email, new Date(), secret);
}

export async function auditEvents(platform: TestPlatform, action: string) {
  return platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
}
