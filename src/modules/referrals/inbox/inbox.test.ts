import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn } from '../../../../test/support/visitor.js';
import { auditEvents, routeOf, sendReferral, signInReceiver } from './testing.js';

describe('the receiving-service inbox', () => {
  let platform: TestPlatform;
  let referralId: string;
  beforeAll(async () => {
    platform = await createTestPlatform();
    // Dartford's commissioned service is the demo service; 15 "yes" answers also send it to the MARAC Hub.
    referralId = await sendReferral(platform, { district: 'dartford', yes: 15, name: 'Inboxlist' });
  });
  afterAll(() => platform.close());

  it('lists referrals routed to the organisation with risk, route, district, received, due and status, and audits the ids shown', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    const route = await routeOf(platform, referralId, 'demo-support-service');
    const reference = (await platform.services.db.kysely.selectFrom('referrals').select('reference').where('id', '=', referralId).executeTakeFirstOrThrow()).reference;
    const page = await visitor.get('/app/inbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(reference);
    expect(page.body).toContain(`href="/app/inbox/${route.id}"`);
    const row = page.body.slice(page.body.indexOf(reference), page.body.indexOf('</tr>', page.body.indexOf(reference)));
    expect(row).toContain('High');
    expect(row).toContain('Independent Domestic Violence Adviser (IDVA)');
    expect(row).toContain('Dartford');
    // Whether they agreed to the referral, before opening it: the first approach depends on it.
    expect(row).toContain('<td class="govuk-table__cell">Given</td>');
    expect(row).toContain('New');
    // No personal data in the list: the person's name is on the referral page only.
    expect(page.body).not.toContain('Inboxlist');
    const [event] = (await auditEvents(platform, 'REFERRAL_INBOX_VIEWED')).slice(-1);
    const details = JSON.parse(event?.details ?? '{}') as Record<string, unknown>;
    expect(details).toMatchObject({ status: 'open' });
    expect(String(details['referralIds'])).toContain(referralId);
  });

  it('shows overdue referrals in red with the word "Overdue", counts them, and filters to them', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    const page = await visitor.get('/app/inbox');
    expect(page.body).toMatch(/1 referral is overdue for first contact/);
    expect(page.body).toContain('<strong class="govuk-tag govuk-tag--red">Overdue</strong>');
    expect(page.body).toContain('class="app-overdue"');
    const overdue = await visitor.get('/app/inbox?overdue=yes');
    expect(overdue.body).toContain('Showing 1 to 1 of 1 referral');
    expect(overdue.body.match(/>Overdue</g)?.length).toBe(1);
  });

  it('filters by status and risk through a GET form, and ignores nonsense in the address', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    expect((await visitor.get('/app/inbox?risk=standard')).body).toContain('No referrals match these filters');
    expect((await visitor.get('/app/inbox?status=closed')).body).toContain('No referrals match these filters');
    const nonsense = await visitor.get('/app/inbox?status=%3Cscript%3E&risk=extreme&overdue=maybe&page=-3');
    expect(nonsense.statusCode).toBe(200);
    expect(nonsense.body).toContain('of 4 referrals');
  });

  it('shows the MARAC route in the MARAC Hub’s inbox the same way', async () => {
    const coordinator = await signIn(platform, 'marac@demo.invalid');
    const route = await routeOf(platform, referralId, 'marac-hub');
    expect(route.kind).toBe('marac');
    const page = await coordinator.get('/app/inbox');
    expect(page.body).toContain(`href="/app/inbox/${route.id}"`);
    const referral = await coordinator.get(`/app/inbox/${route.id}`);
    expect(referral.statusCode).toBe(200);
    expect(referral.body).toContain('Test Person Inboxlist');
    expect(referral.body).toContain('Visible high risk');
  });

  it('shows the receiver the decrypted details, DASH summary, criteria and the rules that fired for their route; the view is audited', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    const route = await routeOf(platform, referralId, 'demo-support-service');
    const page = await visitor.get(`/app/inbox/${route.id}`);
    expect(page.statusCode).toBe(200);
    for (const text of ['Test Person Inboxlist', '07700 900555', 'Mornings (synthetic)', 'Test Harm-Causer Inboxlist', '15 of 24', 'Visible high risk', 'commissioned service for Dartford', 'Accept referral', 'Decline referral']) {
      expect(page.body).toContain(text);
    }
    const viewed = (await auditEvents(platform, 'REFERRAL_RECEIVED_VIEWED')).at(-1);
    expect(viewed).toMatchObject({ record_type: 'referral', record_id: referralId });
  });

  it('gives another organisation’s service manager "not found" for the referral and every action, audits it, and changes nothing', async () => {
    const route = await routeOf(platform, referralId, 'demo-support-service');
    const outsider = await signInReceiver(platform, 'demo-east-kent-da-service');
    const refusalsBefore = (await auditEvents(platform, 'REFERRAL_ACCESS_REFUSED')).length;
    const page = await outsider.get(`/app/inbox/${route.id}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Inboxlist');
    for (const action of ['accept', 'decline', 'contact', 'outcome']) {
      // Accept is a button on the referral's page: its address takes only POST, for anyone.
      expect((await outsider.get(`/app/inbox/${route.id}/${action}`)).statusCode).toBe(action === 'accept' ? 405 : 404);
      expect((await outsider.post(`/app/inbox/${route.id}/${action}`, { version: String(route.version), reason: 'no_capacity', outcome: 'engaged' })).statusCode).toBe(404);
    }
    const refusals = (await auditEvents(platform, 'REFERRAL_ACCESS_REFUSED')).slice(refusalsBefore);
    // The page, three form pages (accept has no page of its own) and four posts.
    expect(refusals).toHaveLength(8);
    expect(refusals.every((event) => event.record_id === referralId && event.outcome === 'denied')).toBe(true);
    expect(await routeOf(platform, referralId, 'demo-support-service')).toMatchObject({ status: 'new', version: route.version });
    // Their own inbox does not list it.
    expect((await outsider.get('/app/inbox?status=all')).body).not.toContain(route.id);
  });

  it('refuses the inbox to people who do not receive referrals, and "not found" for a made-up route id', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/inbox')).statusCode).toBe(403);
    const manager = await signIn(platform, 'service@demo.invalid');
    expect((await manager.get('/app/inbox/not-a-route')).statusCode).toBe(404);
    expect((await manager.get('/app/inbox/01234567-89ab-7def-8123-456789abcdef')).statusCode).toBe(404);
  });

  it('accepts a referral once; a second accept on the old page says it changed, and nothing else changes', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    const route = await routeOf(platform, referralId, 'demo-support-service');
    await visitor.get(`/app/inbox/${route.id}`);
    const accepted = await visitor.post(`/app/inbox/${route.id}/accept`, { version: String(route.version) });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/app/inbox/${route.id}?notice=accepted`);
    expect(await routeOf(platform, referralId, 'demo-support-service')).toMatchObject({ status: 'accepted', version: route.version + 1 });
    const again = await visitor.post(`/app/inbox/${route.id}/accept`, { version: String(route.version) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This referral was updated after you opened the page');
    expect(await routeOf(platform, referralId, 'demo-support-service')).toMatchObject({ status: 'accepted', version: route.version + 1 });
    const events = await platform.services.db.kysely.selectFrom('referral_events').select(['kind']).where('route_id', '=', route.id).execute();
    expect(events.filter((event) => event.kind === 'accepted')).toHaveLength(1);
    expect((await auditEvents(platform, 'REFERRAL_ROUTE_ACCEPTED')).at(-1)).toMatchObject({ record_id: referralId });
  });

  it('lists every status newest first, merging the statuses in order', async () => {
    const visitor = await signIn(platform, 'service@demo.invalid');
    const organisation = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    const expected = await platform.services.db.kysely
      .selectFrom('referral_routes')
      .innerJoin('referrals', 'referrals.id', 'referral_routes.referral_id')
      .select(['referrals.reference', 'referral_routes.status'])
      .where('referral_routes.organisation_id', '=', organisation?.id ?? '')
      .orderBy('referral_routes.created_at', 'desc')
      .orderBy('referral_routes.id', 'desc')
      .execute();
    expect(new Set(expected.map((row) => row.status)).size).toBeGreaterThan(1);
    const page = await visitor.get('/app/inbox?status=all');
    const shown = [...page.body.matchAll(/>(R-[A-Z0-9]{4}-[A-Z0-9]{4})</g)].map((match) => match[1]);
    expect(shown).toEqual(expected.map((row) => row.reference));
  });
});
