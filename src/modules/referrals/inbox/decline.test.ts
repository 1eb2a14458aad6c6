import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../../test/support/visitor.js';
import type { RuleFired } from '../rules/engine.js';
import { auditEvents, routeOf, sendReferral, signInReceiver } from './testing.js';

const rulesFired = (json: string) => JSON.parse(json) as RuleFired[];

describe('declining a referral passes it on', () => {
  let platform: TestPlatform;
  let referralId: string;
  let mensService: Visitor;
  beforeAll(async () => {
    platform = await createTestPlatform();
    // Swale, below the MARAC threshold, asking for a men's service: one specialist route.
    referralId = await sendReferral(platform, { district: 'swale', yes: 4, needs: ['mens_service'], name: 'Declinetest' });
    mensService = await signInReceiver(platform, 'demo-mens-da-service');
  });
  afterAll(() => platform.close());

  it('asks for a reason, and for details when the reason is "another reason", changing nothing until given', async () => {
    const route = await routeOf(platform, referralId, 'demo-mens-da-service');
    const form = await mensService.get(`/app/inbox/${route.id}/decline`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Why are you declining it?');
    const none = await mensService.post(`/app/inbox/${route.id}/decline`, { version: String(route.version) });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('govuk-error-summary');
    expect(none.body).toContain('href="#reason">Select why you are declining this referral');
    const other = await mensService.post(`/app/inbox/${route.id}/decline`, { version: String(route.version), reason: 'other', details: '  ' });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('href="#details">Explain why you are declining this referral');
    expect(await routeOf(platform, referralId, 'demo-mens-da-service')).toMatchObject({ status: 'new', version: route.version });
  });

  it('refuses a decline made on a stale page with a clear message', async () => {
    const route = await routeOf(platform, referralId, 'demo-mens-da-service');
    const stale = await mensService.post(`/app/inbox/${route.id}/decline`, { version: String(route.version + 5), reason: 'no_capacity' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This referral was updated after you opened the page');
    expect(await routeOf(platform, referralId, 'demo-mens-da-service')).toMatchObject({ status: 'new', version: route.version });
  });

  it('records the declined route and a new route to the next suitable organisation, pointing back at it', async () => {
    const declined = await routeOf(platform, referralId, 'demo-mens-da-service');
    const response = await mensService.post(`/app/inbox/${declined.id}/decline`, { version: String(declined.version), reason: 'no_capacity', details: 'Waiting list closed (synthetic)' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/app/inbox?notice=declined');

    expect(await routeOf(platform, referralId, 'demo-mens-da-service')).toMatchObject({ status: 'declined', version: declined.version + 1 });
    const stored = await routeOf(platform, referralId, 'demo-mens-da-service');
    expect(stored.decline_reason_enc).not.toContain('Waiting list');
    expect(JSON.parse(platform.services.crypto.decrypt(stored.decline_reason_enc ?? ''))).toEqual({ reason: 'no_capacity', details: 'Waiting list closed (synthetic)' });

    const next = await routeOf(platform, referralId, 'demo-east-kent-da-service');
    expect(next).toMatchObject({ kind: 'outreach', status: 'new', rerouted_from_route_id: declined.id, rule_set_id: declined.rule_set_id });
    expect(next.first_contact_due_at).not.toBeNull();
    expect(rulesFired(next.rules_fired)[0]?.summary).toContain('after Demo Men\'s Domestic Abuse Service (synthetic) declined it (we have no capacity to take this referral)');

    const events = await platform.services.db.kysely.selectFrom('referral_events').select(['kind', 'route_id', 'details', 'note_enc']).where('referral_id', '=', referralId).orderBy('at').orderBy('id').execute();
    expect(events.map((event) => [event.kind, event.route_id])).toEqual(expect.arrayContaining([['declined', declined.id], ['rerouted', next.id]]));
    expect(events.find((event) => event.kind === 'declined')?.details).toBe('{"reason":"no_capacity"}');
    expect((await auditEvents(platform, 'REFERRAL_ROUTE_DECLINED')).at(-1)).toMatchObject({ record_id: referralId });
    expect(JSON.parse((await auditEvents(platform, 'REFERRAL_REROUTED')).at(-1)?.details ?? '{}')).toMatchObject({ fromRouteId: declined.id, routeId: next.id, triage: false });
  });

  it('takes the declined referral out of the decliner’s reach, listing it under "declined" without a link', async () => {
    const declined = await routeOf(platform, referralId, 'demo-mens-da-service');
    const gone = await mensService.get(`/app/inbox/${declined.id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('Your organisation declined this referral, so it is no longer in your inbox.');
    expect(gone.body).not.toContain('Declinetest');
    // Acting on it from a page opened before it was declined (a colleague's decline a moment earlier) is told the same.
    const lateAccept = await mensService.post(`/app/inbox/${declined.id}/accept`, { version: String(declined.version - 1) });
    expect(lateAccept.statusCode).toBe(410);
    expect(JSON.parse((await auditEvents(platform, 'REFERRAL_ACCESS_REFUSED')).at(-1)?.details ?? '{}')).toMatchObject({ routeId: declined.id, reason: 'declined-by-own-organisation' });
    expect((await mensService.get(`/app/referrals/${referralId}`)).statusCode).toBe(404);
    const list = await mensService.get('/app/inbox?status=declined');
    expect(list.body).toContain('Showing 1 to 1 of 1 referral');
    expect(list.body).not.toContain(`href="/app/inbox/${declined.id}"`);
  });

  it('tells the referrer in their referral view: the declined route, and the new one with why it went there', async () => {
    const referrer = await signIn(platform, 'practitioner@demo.invalid');
    const page = await referrer.get(`/app/referrals/${referralId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('>Declined</strong>');
    expect(page.body).toContain('Demo East Kent Domestic Abuse Service (synthetic)');
    expect(page.body).toContain('we have no capacity to take this referral');
    expect(page.body).toContain('>Waiting to be accepted</strong>');
    // The reason chosen and where it went, said plainly; the details written stay with the decliner.
    expect(page.body).toContain('The reason they gave: “We have no capacity to take this referral”.');
    expect(page.body).toContain('It was passed on to Demo East Kent Domestic Abuse Service (synthetic), below.');
    expect(page.body).not.toContain('Waiting list closed');
  });

  it('sends it to the MARAC Hub to triage when no suitable organisation is left, and keeps it there when the Hub declines', async () => {
    const eastKent = await signInReceiver(platform, 'demo-east-kent-da-service');
    const outreach = await routeOf(platform, referralId, 'demo-east-kent-da-service');
    await eastKent.get(`/app/inbox/${outreach.id}/decline`);
    const first = await eastKent.post(`/app/inbox/${outreach.id}/decline`, { version: String(outreach.version), reason: 'outside_area' });
    expect(first.headers.location).toBe('/app/inbox?notice=declined');
    const triage = await routeOf(platform, referralId, 'marac-hub');
    expect(triage).toMatchObject({ kind: 'outreach', status: 'new', rerouted_from_route_id: outreach.id });
    expect(rulesFired(triage.rules_fired)[0]).toMatchObject({ ruleId: 'passed-on-for-triage', because: ['no other suitable organisation is left under the routing rules, so the MARAC Hub will triage it'] });

    const hub = await signIn(platform, 'marac@demo.invalid');
    expect((await hub.get('/app/inbox')).body).toContain(`href="/app/inbox/${triage.id}"`);
    const last = await hub.post(`/app/inbox/${triage.id}/decline`, { version: String(triage.version), reason: 'not_eligible' });
    expect(last.headers.location).toBe('/app/inbox?notice=declined-kept');
    const routes = await platform.services.db.kysely.selectFrom('referral_routes').select(['status']).where('referral_id', '=', referralId).execute();
    expect(routes.map((route) => route.status).sort()).toEqual(['declined', 'declined', 'declined']);
    expect(JSON.parse((await auditEvents(platform, 'REFERRAL_REROUTED')).at(-1)?.details ?? '{}')).toMatchObject({ reason: 'no-organisation-left' });
    // Declined by the Hub with nowhere left to go: the referrer is not told it went on.
    const view = (await (await signIn(platform, 'practitioner@demo.invalid')).get(`/app/referrals/${referralId}`)).body.replace(/\s+/g, ' ');
    expect(view).toContain('The reason they gave: “The person does not meet our service’s criteria”. It was not passed on to another organisation: contact them if you need to discuss it.');
  });
});
