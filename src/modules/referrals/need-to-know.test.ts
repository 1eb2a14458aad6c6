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

  it('keeps the referrer’s own view to the referrer: a receiving organisation works from its inbox page, without the equality monitoring', async () => {
    const { referrals } = platform.services;
    expect(await referrals.canSeeReferral(await actorOf('practitioner@demo.invalid'), maidstoneReferral)).toBe(true);
    for (const email of ['service@demo.invalid', 'marac@demo.invalid', 'auditor@demo.invalid', 'orgadmin@demo.invalid']) {
      expect(await referrals.canSeeReferral(await actorOf(email), maidstoneReferral), email).toBe(false);
    }
    // Maidstone, high risk: routed to MARAC Hub and the West Kent service (the demo service manager's organisation).
    const service = await signIn(platform, 'service@demo.invalid');
    expect((await service.get(`/app/referrals/${maidstoneReferral}`)).statusCode).toBe(404);
    const serviceUser = await actorOf('service@demo.invalid');
    const route = await platform.services.db.kysely.selectFrom('referral_routes').select('id').where('referral_id', '=', maidstoneReferral).where('organisation_id', '=', serviceUser.organisationId).executeTakeFirstOrThrow();
    const received = await service.get(`/app/inbox/${route.id}`);
    expect(received.statusCode).toBe(200);
    expect(received.body).toContain('Need-Quebec');
    const own = await (await signIn(platform, 'practitioner@demo.invalid')).get(`/app/referrals/${maidstoneReferral}`);
    for (const monitoring of ['Sexual orientation', 'Religion']) {
      expect(own.body).toContain(monitoring);
      expect(received.body).not.toContain(monitoring);
    }
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
