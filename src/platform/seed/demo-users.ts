import { createHash } from 'node:crypto';
import type { Role } from '../access/policy.js';
import { codeFrom, codeSet, replaceRecoveryCodes } from '../auth/recovery-codes.js';
import type { Services } from '../../services.js';
import { newId } from '../db/ids.js';

/** The demo password for every synthetic sign-in. Demo data is refused in production, so this never goes live. */
export const DEMO_PASSWORD = 'demo-only-password';

export interface DemoPersona {
  readonly email: string;
  readonly name: string;
  readonly organisationSlug: string;
  readonly roles: readonly Role[];
  /** Fixed so that the README, the tests and the start-up banner agree; base32. */
  readonly totpSecret: string;
}

export const DEMO_PERSONAS: readonly DemoPersona[] = [
  { email: 'practitioner@demo.invalid', name: 'Demo Practitioner (synthetic)', organisationSlug: 'kent-police', roles: ['practitioner'], totpSecret: 'DEMOPRACTITIONERAAAAAAAAAAAAAAAA' },
  { email: 'service@demo.invalid', name: 'Demo Service Manager (synthetic)', organisationSlug: 'demo-support-service', roles: ['service_manager'], totpSecret: 'DEMOSERVICEMANAGERAAAAAAAAAAAAAA' },
  { email: 'marac@demo.invalid', name: 'Demo MARAC Coordinator (synthetic)', organisationSlug: 'marac-hub', roles: ['marac_coordinator'], totpSecret: 'DEMOMARACCOORDINATORAAAAAAAAAAAA' },
  { email: 'editor@demo.invalid', name: 'Demo Directory Editor (synthetic)', organisationSlug: 'kent-county-council', roles: ['directory_editor'], totpSecret: 'DEMODIRECTORYEDITORAAAAAAAAAAAAA' },
  { email: 'officer@demo.invalid', name: 'Demo Partnership Officer (synthetic)', organisationSlug: 'kent-county-council', roles: ['partnership_officer'], totpSecret: 'DEMOPARTNERSHIPOFFICERAAAAAAAAAA' },
  { email: 'orgadmin@demo.invalid', name: 'Demo Organisation Admin (synthetic)', organisationSlug: 'kent-police', roles: ['organisation_admin'], totpSecret: 'DEMOORGANISATIONADMINAAAAAAAAAAA' },
  { email: 'admin@demo.invalid', name: 'Demo System Admin (synthetic)', organisationSlug: 'kent-county-council', roles: ['system_admin'], totpSecret: 'DEMOSYSTEMADMINAAAAAAAAAAAAAAAAA' },
  { email: 'auditor@demo.invalid', name: 'Demo Auditor (synthetic)', organisationSlug: 'opcc-kent', roles: ['auditor'], totpSecret: 'DEMOAUDITORAAAAAAAAAAAAAAAAAAAAA' },
];

/** A synthetic commissioned service the demo service manager works for. */
const DEMO_ORGANISATION = { slug: 'demo-support-service', name: 'Demo Domestic Abuse Support Service (synthetic)', kind: 'commissioned-service' };

/**
 * Demo sign-ins found in the database (their password and authenticator secrets are public, in this file): a
 * database that once ran the demo must not be served in production, whatever SEED_DEMO says now.
 */
/** Where the audit trail records that the demo was seeded: a mark no key change can hide. */
const DEMO_MARK = { recordType: 'database', recordId: 'demo-data' } as const;

/** Marks the database as one that has held the demo (once), in the trail that cannot be edited. */
export async function markDemoSeeded(services: Pick<Services, 'db' | 'audit'>): Promise<void> {
  if (await demoMarked(services)) return;
  await services.audit.record({ action: 'DEMO_DATA_SEEDED', ...DEMO_MARK });
}

async function demoMarked({ db }: Pick<Services, 'db'>): Promise<boolean> {
  const row = await db.kysely.selectFrom('audit_events').select('seq').where('record_type', '=', DEMO_MARK.recordType).where('record_id', '=', DEMO_MARK.recordId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * What of the demo a database holds: its sign-ins, found by email under the configured key, and the audit trail's
 * mark that the demo was seeded, found whatever the keys, so a copy of a demo database opened with new keys is known.
 */
export async function demoDataPresent(services: Pick<Services, 'users' | 'db'>): Promise<string[]> {
  const found: string[] = [];
  for (const persona of DEMO_PERSONAS) if (await services.users.findByEmail(persona.email)) found.push(persona.email);
  if (await demoMarked(services)) found.push('the audit trail records that the demo was seeded');
  return found;
}

/** A demo account's recovery codes: fixed, as its authenticator secret is, so `demo-code` can print them. */
export function demoRecoveryCodes(persona: Pick<DemoPersona, 'email'>): string[] {
  return codeSet((index) => codeFrom([...createHash('sha256').update(`demo recovery code ${String(index)} ${persona.email}`).digest()]));
}

export async function seedDemoUsers(services: Services): Promise<void> {
  const { db, reference, users, clock, crypto } = services;
  if (!(await reference.getOrganisationBySlug(DEMO_ORGANISATION.slug))) {
    const now = clock().toISOString();
    await db.kysely
      .insertInto('organisations')
      .values({ id: newId(), ...DEMO_ORGANISATION, area_code: null, active: 1, sso_issuer: null, sso_client_id: null, sso_client_secret_enc: null, version: 1, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
  }
  for (const persona of DEMO_PERSONAS) {
    if (await users.findByEmail(persona.email)) continue;
    const organisation = await reference.getOrganisationBySlug(persona.organisationSlug);
    if (!organisation) throw new Error(`Demo organisation ${persona.organisationSlug} is missing: seed reference data first.`);
    const id = await users.createActive({ organisationId: organisation.id, email: persona.email, name: persona.name, roles: persona.roles }, DEMO_PASSWORD);
    await users.setAuthenticatorSecret(id, persona.totpSecret);
    await replaceRecoveryCodes(db.kysely, crypto, id, demoRecoveryCodes(persona));
  }
}
