import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../../test/support/visitor.js';
import { londonParts } from '../../../platform/time/london.js';
import { auditEvents, routeOf, sendReferral } from './testing.js';

describe('contact attempts and outcomes', () => {
  let platform: TestPlatform;
  let manager: Visitor;
  let referralId: string;
  const route = () => routeOf(platform, referralId, 'demo-support-service');
  beforeAll(async () => {
    platform = await createTestPlatform();
    referralId = await sendReferral(platform, { district: 'maidstone', yes: 3, name: 'Contacttest' });
    // Sent yesterday, so attempts earlier today are after it.
    await platform.services.db.kysely.updateTable('referrals').set({ submitted_at: new Date(Date.now() - 86_400_000).toISOString() }).where('id', '=', referralId).execute();
    manager = await signIn(platform, 'service@demo.invalid');
  });
  afterAll(() => platform.close());

  function when(offsetMinutes: number) {
    const local = londonParts(new Date(Date.now() + offsetMinutes * 60_000));
    return { 'contactDate-day': String(local.day), 'contactDate-month': String(local.month), 'contactDate-year': String(local.year), contactTime: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}` };
  }

  it('offers contact and outcome only once the referral is accepted', async () => {
    const current = await route();
    await manager.get(`/app/inbox/${current.id}`);
    const contact = await manager.get(`/app/inbox/${current.id}/contact`);
    expect(contact.statusCode).toBe(303);
    expect(contact.headers.location).toBe(`/app/inbox/${current.id}`);
    const refused = await manager.post(`/app/inbox/${current.id}/contact`, { ...when(-5), method: 'phone', successful: 'yes', version: String(current.version) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Accept the referral before logging contact');
    await manager.get(`/app/inbox/${current.id}`);
    expect((await manager.post(`/app/inbox/${current.id}/accept`, { version: String(current.version) })).statusCode).toBe(303);
  });

  it('explains each problem with a contact attempt and saves nothing', async () => {
    const current = await route();
    const form = await manager.get(`/app/inbox/${current.id}/contact`);
    expect(form.statusCode).toBe(200);
    const today = londonParts(new Date());
    expect(form.body).toContain(`name="contactDate-day" type="text" value="${String(today.day)}"`);

    const empty = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), 'contactDate-day': '', 'contactDate-month': '', 'contactDate-year': '' });
    expect(empty.statusCode).toBe(400);
    for (const [href, text] of [
      ['#contactDate-day', 'Enter the date of the contact attempt'],
      ['#contactTime', 'Enter the time of the contact attempt'],
      ['#method', 'Select how you tried to contact them'],
      ['#successful', 'Select whether you spoke to them'],
    ]) {
      expect(empty.body).toContain(`href="${href ?? ''}">${text ?? ''}`);
    }
    // Notes too long as well: still every problem at once, not the notes alone.
    const tooLong = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), 'contactDate-day': '', 'contactDate-month': '', 'contactDate-year': '', note: 'x'.repeat(2001) });
    for (const text of ['Notes must be 2000 characters or fewer', 'Enter the date of the contact attempt', 'Enter the time of the contact attempt', 'Select how you tried to contact them', 'Select whether you spoke to them']) {
      expect(tooLong.body).toContain(text);
    }
    const impossible = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), 'contactDate-day': '31', 'contactDate-month': '2', 'contactDate-year': '2026', contactTime: '25:00', method: 'phone', successful: 'no' });
    expect(impossible.body).toContain('must be a real date');
    expect(impossible.body).toContain('24-hour clock');
    const future = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), ...when(24 * 60), method: 'phone', successful: 'no' });
    expect(future.body).toContain('must be now or in the past');
    const beforeReferral = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), 'contactDate-day': '1', 'contactDate-month': '1', 'contactDate-year': '2020', contactTime: '10:00', method: 'phone', successful: 'no' });
    expect(beforeReferral.body).toContain('must be after the referral was made');
    // What was typed is kept.
    expect(beforeReferral.body).toContain('value="2020"');
    expect(await route()).toMatchObject({ version: current.version, first_contact_at: null });
  });

  it('records that "unable to contact" and "engaged" need contact attempts logged first', async () => {
    const current = await route();
    await manager.get(`/app/inbox/${current.id}/outcome`);
    const unable = await manager.post(`/app/inbox/${current.id}/outcome`, { version: String(current.version), outcome: 'unable_to_contact' });
    expect(unable.statusCode).toBe(400);
    expect(unable.body).toContain('href="#outcome">Try to reach them at least 3 times, on at least 2 different days, and log each attempt before recording that they could not be contacted (0 attempts logged so far)');
    const engaged = await manager.post(`/app/inbox/${current.id}/outcome`, { version: String(current.version), outcome: 'engaged' });
    expect(engaged.body).toContain('Log the contact in which they agreed to support');
  });

  it('logs an unsuccessful attempt without setting first contact, then a successful one that does', async () => {
    const current = await route();
    await manager.get(`/app/inbox/${current.id}/contact`);
    const missed = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version), ...when(-60), method: 'phone', successful: 'no', note: 'No answer; did not leave a message (synthetic)' });
    expect(missed.statusCode).toBe(303);
    expect(await route()).toMatchObject({ status: 'accepted', first_contact_at: null, version: current.version + 1 });

    await manager.get(`/app/inbox/${current.id}/contact`);
    const reached = await manager.post(`/app/inbox/${current.id}/contact`, { version: String(current.version + 1), ...when(-10), method: 'phone', successful: 'yes' });
    expect(reached.headers.location).toBe(`/app/inbox/${current.id}?notice=contact`);
    const after = await route();
    expect(after.status).toBe('in_contact');
    expect(after.first_contact_at).not.toBeNull();
    expect(new Date(after.first_contact_at ?? '').getTime()).toBeGreaterThan(Date.now() - 11 * 60_000 - 60_000);

    const page = await manager.get(`/app/inbox/${current.id}`);
    expect(page.body).toContain('Phone call: did not reach them');
    expect(page.body).toContain('No answer; did not leave a message (synthetic)');
    expect(page.body).toContain('Phone call: spoke to them');
    const notes = await platform.services.db.kysely.selectFrom('referral_events').select(['note_enc', 'details']).where('route_id', '=', current.id).where('kind', '=', 'contact_attempt').execute();
    expect(notes.some((row) => row.note_enc !== null && !row.note_enc.includes('No answer'))).toBe(true);
    expect((await auditEvents(platform, 'REFERRAL_CONTACT_LOGGED')).length).toBe(2);
  });

  it('needs what the support achieved when closing, then closes the route and the referral', async () => {
    const current = await route();
    await manager.get(`/app/inbox/${current.id}/outcome`);
    const missing = await manager.post(`/app/inbox/${current.id}/outcome`, { version: String(current.version), outcome: 'closed' });
    expect(missing.body).toContain('href="#closureOutcomes">Select what the support achieved');
    const engaged = await manager.post(`/app/inbox/${current.id}/outcome`, { version: String(current.version), outcome: 'engaged' });
    expect(engaged.statusCode).toBe(303);
    expect(await route()).toMatchObject({ status: 'in_contact', outcome: 'engaged' });

    await manager.get(`/app/inbox/${current.id}/outcome`);
    const closed = await manager.post(`/app/inbox/${current.id}/outcome`, { version: String(current.version + 1), outcome: 'closed', closureOutcomes: ['safety_plan', 'safe_accommodation'], note: 'Moved to a refuge out of area (synthetic)' });
    expect(closed.statusCode).toBe(303);
    expect(await route()).toMatchObject({ status: 'closed', outcome: 'closed' });
    expect((await route()).closed_at).not.toBeNull();
    const referral = await platform.services.db.kysely.selectFrom('referrals').select(['status']).where('id', '=', referralId).executeTakeFirstOrThrow();
    expect(referral.status).toBe('closed');

    const page = await manager.get(`/app/inbox/${current.id}`);
    expect(page.body).toContain('Closed after support: Safety plan in place, Moved to safe accommodation');
    expect(page.body).toContain('There is nothing more to do');
    expect(page.body).not.toContain('Log a contact attempt');
    expect(JSON.parse((await auditEvents(platform, 'REFERRAL_OUTCOME_RECORDED')).at(-1)?.details ?? '{}')).toMatchObject({ outcome: 'closed', closureOutcomes: 'safety_plan,safe_accommodation' });
    // A closed route offers no forms.
    expect((await manager.get(`/app/inbox/${current.id}/outcome`)).statusCode).toBe(303);
    const referrer = await signIn(platform, 'practitioner@demo.invalid');
    expect((await referrer.get(`/app/referrals/${referralId}`)).body).toContain('Support has ended and the service has closed the referral.');
  });

  it('tells the referrer when the service could not reach the person, rather than only that it closed', async () => {
    const otherId = await sendReferral(platform, { district: 'maidstone', yes: 3, name: 'Unreachable' });
    await platform.services.db.kysely.updateTable('referrals').set({ submitted_at: new Date(Date.now() - 3 * 86_400_000).toISOString() }).where('id', '=', otherId).execute();
    const other = () => routeOf(platform, otherId, 'demo-support-service');
    await manager.get(`/app/inbox/${(await other()).id}`);
    expect((await manager.post(`/app/inbox/${(await other()).id}/accept`, { version: String((await other()).version) })).statusCode).toBe(303);
    const attempt = async (minutesAgo: number) => {
      await manager.get(`/app/inbox/${(await other()).id}/contact`);
      expect((await manager.post(`/app/inbox/${(await other()).id}/contact`, { version: String((await other()).version), ...when(-minutesAgo), method: 'phone', successful: 'no' })).statusCode).toBe(303);
    };
    const closeUnable = async () => {
      await manager.get(`/app/inbox/${(await other()).id}/outcome`);
      return manager.post(`/app/inbox/${(await other()).id}/outcome`, { version: String((await other()).version), outcome: 'unable_to_contact' });
    };
    // Three tries on one day are not enough: someone watched may only be free to answer on some days.
    for (const minutesAgo of [0, 0, 0]) await attempt(minutesAgo);
    expect((await closeUnable()).body).toContain('(3 attempts logged so far, on 1 day)');
    await attempt(48 * 60);
    expect((await closeUnable()).statusCode).toBe(303);
    const view = (await (await signIn(platform, 'practitioner@demo.invalid')).get(`/app/referrals/${otherId}`)).body;
    expect(view).toContain('>Closed</strong>');
    expect(view).toContain('The service could not reach the person by any safe way, so it has closed the referral.');
    expect(view).not.toContain('The service has finished its work on this referral.');
  });
});
