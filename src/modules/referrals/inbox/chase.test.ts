import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobNow } from '../../../jobs.js';
import { createLogger } from '../../../platform/logging.js';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { CHASE_SUBJECT } from './chase.js';
import { OVERDUE_CHASE_JOB } from './module.js';
import { auditEvents, sendReferral } from './testing.js';

describe('the overdue first-contact chase', () => {
  let platform: TestPlatform;
  let now = new Date();
  const logger = createLogger('silent');

  beforeAll(async () => {
    platform = await createTestPlatform({ clock: () => now });
  });
  afterAll(() => platform.close());

  async function overdueRoute() {
    const organisation = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    return platform.services.db.kysely
      .selectFrom('referral_routes')
      .selectAll()
      .where('organisation_id', '=', organisation?.id ?? '')
      .where('first_contact_due_at', '<', now.toISOString())
      .where('first_contact_at', 'is', null)
      .executeTakeFirstOrThrow();
  }

  async function chaseEmails() {
    const rows = await platform.services.db.kysely.selectFrom('outbox_messages').selectAll().where('subject', '=', CHASE_SUBJECT).execute();
    return rows.map((row) => ({ to: platform.services.crypto.decrypt(row.recipient_enc), body: platform.services.crypto.decrypt(row.body_text) }));
  }

  async function chaseEvents(routeId: string) {
    return platform.services.db.kysely.selectFrom('referral_events').selectAll().where('route_id', '=', routeId).where('kind', '=', 'overdue_chased').execute();
  }

  it('runs as a scheduled job: records an event, sets last_chased_at, and emails the organisation’s receivers a link only', async () => {
    const route = await overdueRoute();
    const result = await runJobNow(platform.services, OVERDUE_CHASE_JOB, logger);
    expect(result).toMatchObject({ ran: true, outcome: 'ok' });

    expect(await chaseEvents(route.id)).toHaveLength(1);
    const after = await platform.services.db.kysely.selectFrom('referral_routes').select(['last_chased_at']).where('id', '=', route.id).executeTakeFirstOrThrow();
    expect(after.last_chased_at).toBe(now.toISOString());
    expect((await auditEvents(platform, 'REFERRAL_OVERDUE_CHASED')).map((event) => event.record_id)).toContain(route.referral_id);

    const emails = await chaseEmails();
    expect(emails.map((email) => email.to)).toEqual(['service@demo.invalid']);
    const body = emails[0]?.body ?? '';
    expect(body).toContain(`${platform.config.baseUrl}/app/inbox?overdue=yes`);
    const reference = (await platform.services.db.kysely.selectFrom('referrals').select('reference').where('id', '=', route.referral_id).executeTakeFirstOrThrow()).reference;
    // Nothing about the case: no reference, no district, no risk, no name.
    for (const detail of [reference, 'Maidstone', 'Dartford', 'Sevenoaks', 'High', 'Test Person', route.referral_id]) expect(body).not.toContain(detail);
  });

  it('does not chase the same route twice in a day', async () => {
    const route = await overdueRoute();
    now = new Date(now.getTime() + 60 * 60_000);
    expect(await platform.services.referralInbox.chaseOverdue()).toEqual({ routes: 0, emails: 0 });
    await runJobNow(platform.services, OVERDUE_CHASE_JOB, logger);
    expect(await chaseEvents(route.id)).toHaveLength(1);
    expect(await chaseEmails()).toHaveLength(1);
  });

  it('chases again the next day while first contact is still not made, and stops once it is', async () => {
    const route = await overdueRoute();
    now = new Date(now.getTime() + 24 * 60 * 60_000);
    const second = await platform.services.referralInbox.chaseOverdue();
    expect(second.routes).toBeGreaterThanOrEqual(1);
    expect(await chaseEvents(route.id)).toHaveLength(2);

    await platform.services.db.kysely.updateTable('referral_routes').set({ first_contact_at: now.toISOString(), status: 'in_contact' }).where('id', '=', route.id).execute();
    now = new Date(now.getTime() + 25 * 60 * 60_000);
    await platform.services.referralInbox.chaseOverdue();
    expect(await chaseEvents(route.id)).toHaveLength(2);
  });

  it('chases the MARAC Hub’s overdue routes to the MARAC coordinators, and never declined or closed routes', async () => {
    const referralId = await sendReferral(platform, { district: 'medway', yes: 16, name: 'Chasetest' });
    const routes = await platform.services.db.kysely.selectFrom('referral_routes').selectAll().where('referral_id', '=', referralId).execute();
    const marac = routes.find((route) => route.kind === 'marac');
    const idva = routes.find((route) => route.kind === 'idva');
    if (!marac || !idva) throw new Error('expected MARAC and IDVA routes');
    await platform.services.db.kysely.updateTable('referral_routes').set({ status: 'declined' }).where('id', '=', idva.id).execute();
    now = new Date(now.getTime() + 10 * 24 * 60 * 60_000);
    await platform.services.referralInbox.chaseOverdue();
    expect(await chaseEvents(marac.id)).toHaveLength(1);
    expect(await chaseEvents(idva.id)).toHaveLength(0);
    expect((await chaseEmails()).map((email) => email.to)).toContain('marac@demo.invalid');
  });

  it('emails nobody in an organisation that has been switched off: its staff can no longer sign in to act on it', async () => {
    const organisation = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    await platform.services.db.kysely.updateTable('organisations').set({ active: 0 }).where('id', '=', organisation?.id ?? '').execute();
    const before = (await chaseEmails()).length;
    now = new Date(now.getTime() + 2 * 24 * 60 * 60_000);
    const chased = await platform.services.referralInbox.chaseOverdue();
    expect(chased.routes).toBeGreaterThanOrEqual(1);
    expect((await chaseEmails()).slice(before).map((email) => email.to)).not.toContain('service@demo.invalid');
  });
});
