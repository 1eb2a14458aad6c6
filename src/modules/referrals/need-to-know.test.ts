import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn } from '../../../test/support/visitor.js';
import { fillReferral, formAnswers, sendDraft } from './test-support/journey.js';

describe('need to know', () => {
  let platform: TestPlatform;
  let thanetReferral: string;
  let maidstoneReferral: string;

  beforeAll(async () => {
    platform = await createTestPlatform();
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const thanet = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ person: { lastName: 'Need-Papa', district: 'thanet' } })));
    thanetReferral = String(thanet.headers.location).split('/')[3] ?? '';
    const maidstone = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 15, person: { lastName: 'Need-Quebec', district: 'maidstone', postcode: 'ME14 1ZZ' } })));
    maidstoneReferral = String(maidstone.headers.location).split('/')[3] ?? '';
  });
  afterAll(() => platform.close());

  const actorOf = async (email: string) => {
    const user = await platform.services.users.findByEmail(email);
    if (!user) throw new Error(email);
    return { userId: user.id, organisationId: user.organisationId, roles: user.roles };
  };

  it('shows the referrer their own referral, and records the read', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const page = await practitioner.get(`/app/referrals/${thanetReferral}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Test Person Need-Papa');
    const viewed = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', thanetReferral).where('action', '=', 'REFERRAL_VIEWED').execute();
    expect(viewed.length).toBeGreaterThan(0);
  });

  it('gives anyone else "not found", not "forbidden", and records the refusal', async () => {
    const service = await signIn(platform, 'service@demo.invalid');
    const page = await service.get(`/app/referrals/${thanetReferral}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Need-Papa');
    expect((await service.get(`/app/referrals/${thanetReferral}/sent`)).statusCode).toBe(404);
    const refused = await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'outcome']).where('record_id', '=', thanetReferral).where('action', '=', 'REFERRAL_ACCESS_REFUSED').execute();
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.outcome).toBe('denied');
    // A referral that does not exist looks exactly the same.
    expect((await service.get('/app/referrals/0190d7a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('lists only the referrer’s own referrals', async () => {
    const service = await signIn(platform, 'service@demo.invalid');
    const list = await service.get('/app/referrals');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Need-Papa');
    expect(list.body).not.toContain('Need-Quebec');
  });

  it('canSeeReferral: the receiving organisations of a referral may see it, no one else', async () => {
    const { referrals } = platform.services;
    // Maidstone, high risk: MARAC Hub and the West Kent service (the demo service manager's organisation).
    expect(await referrals.canSeeReferral(await actorOf('service@demo.invalid'), maidstoneReferral)).toBe(true);
    expect(await referrals.canSeeReferral(await actorOf('marac@demo.invalid'), maidstoneReferral)).toBe(true);
    // Thanet, below threshold: the East Kent service only.
    expect(await referrals.canSeeReferral(await actorOf('service@demo.invalid'), thanetReferral)).toBe(false);
    expect(await referrals.canSeeReferral(await actorOf('marac@demo.invalid'), thanetReferral)).toBe(false);
    expect(await referrals.canSeeReferral(await actorOf('auditor@demo.invalid'), thanetReferral)).toBe(false);
    expect(await referrals.canSeeReferral(await actorOf('orgadmin@demo.invalid'), thanetReferral)).toBe(false);
    expect(await referrals.canSeeReferral(await actorOf('practitioner@demo.invalid'), thanetReferral)).toBe(true);
  });

  it('stores identifying fields encrypted, and matches on blind indexes only', async () => {
    const people = await platform.services.db.kysely.selectFrom('referral_people').selectAll().where('referral_id', '=', thanetReferral).execute();
    const raw = JSON.stringify(people);
    expect(raw).not.toContain('Need-Papa');
    expect(raw).not.toContain('07700 900321');
    expect(raw).not.toContain('1991-05-04');
    expect(people.every((person) => person.first_name_enc.startsWith('e1:'))).toBe(true);
  });
});
