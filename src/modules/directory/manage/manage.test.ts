import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { idleFor31Minutes, signIn, signInOn, type Visitor } from '../../../../test/support/visitor.js';
import { flagReviewsJob } from '../jobs.js';
import { REVIEW_REMINDER_SUBJECT } from '../review-reminder.js';
import { setLastReviewed } from '../repository/services.js';
import { WITHHELD } from '../records-service.js';
import { NAMED_CONFIDENTIAL_ADDRESS } from '../../support/page-service.js';
import { createLocation, editorActor, publishService, serviceInput } from '../test-fixtures.js';

/** The service form as an editor fills it in (flat field names, as the browser posts them). */
function serviceForm(organisationId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    organisationId,
    name: 'Demo Harbour Advice Line (synthetic)',
    description: 'A test advice line.',
    offers: 'Advice and safety planning.',
    eligibility: 'Anyone aged 16 or over.',
    minimumAge: '16',
    maximumAge: '',
    referral: ['self', 'professional'],
    referralDetails: 'Call us.',
    'phones-0-number': '01632 960500',
    'phones-0-description': 'Helpline',
    email: 'harbour@example.org',
    url: 'https://example.org/harbour',
    'hours-MO-opens': '09:00',
    'hours-MO-closes': '17:00',
    'hours-SA-opens': '10:00',
    'hours-SA-closes': '12:00',
    languages: ['en', 'pl'],
    areaCodes: ['dover', 'thanet'],
    termCodes: ['outreach', 'men'],
    status: 'active',
    ...overrides,
  };
}

const idFrom = (location: unknown) => /\/app\/directory\/services\/([0-9a-f-]+)/.exec(String(location))?.[1] ?? '';

describe('managing the directory', () => {
  let platform: TestPlatform;
  let editor: Visitor;
  let organisationId: string;

  beforeAll(async () => {
    platform = await createTestPlatform();
    editor = await signIn(platform, 'editor@demo.invalid');
    organisationId = (await platform.services.directory.records.listOrganisations()).find((organisation) => organisation.name.startsWith('Demo Lantern'))?.id ?? '';
  });
  afterAll(() => platform.close());

  it('is only for directory editors', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    for (const url of ['/app/directory', '/app/directory/services/new', '/app/directory/locations', '/app/directory/reviews']) {
      expect((await practitioner.get(url)).statusCode, url).toBe(403);
    }
    expect((await platform.app.inject({ method: 'GET', url: '/app/directory' })).statusCode).toBe(303);
    // The refusal names the record that was asked for, as well as the page.
    const [location] = await platform.services.directory.records.listLocations();
    expect((await practitioner.get(`/app/directory/locations/${location?.id ?? ''}`)).statusCode).toBe(403);
    const refused = await platform.services.db.kysely.selectFrom('audit_events').select(['record_id', 'details']).where('action', '=', 'ACCESS_DENIED').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(refused.record_id).toBe(location?.id);
    expect(refused.details).toContain('/app/directory/locations/:id');
  });

  it('captions each list’s table with what it counts', async () => {
    const organisations = await platform.services.directory.records.listOrganisations();
    expect((await editor.get('/app/directory/organisations')).body).toContain(`<caption class="govuk-table__caption govuk-table__caption--m">${String(organisations.length)} organisations</caption>`);
    expect((await editor.get('/app/directory/locations')).body).toMatch(/<caption class="govuk-table__caption govuk-table__caption--m">\d+ locations<\/caption>/);
    expect((await editor.get('/app/directory/reviews')).body).toMatch(/<caption class="govuk-table__caption govuk-table__caption--m">\d+ services? due for review<\/caption>/);
  });

  it('explains what is wrong with a service and keeps what was typed', async () => {
    await editor.get('/app/directory/services/new');
    const response = await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: '', 'hours-MO-closes': '08:00', 'phones-1-description': 'Text', email: 'not-an-email', minimumAge: '30', maximumAge: '20' }));
    expect(response.statusCode).toBe(400);
    for (const message of ['Enter the service name', 'The closing time must be after the opening time', 'Enter the phone number, or clear what it is for', 'Enter the service email address in the correct format', 'The maximum age must be the same as or more than the minimum age']) {
      expect(response.body).toContain(message);
    }
    expect(response.body).toContain('href="#hours-MO-opens"');
    const { organisationId: _left, ...withoutOrganisation } = serviceForm(organisationId);
    expect((await editor.post('/app/directory/services/new', withoutOrganisation)).body).toContain('<a href="#organisationId">Choose the organisation that runs the service</a>');
    // The summary follows the page: name, ages, phone, email, then opening hours.
    const summary = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(response.body)?.[1] ?? '';
    expect([...summary.matchAll(/href="#([\w-]+)"/g)].map((match) => match[1])).toEqual(['name', 'maximumAge', 'phones-1-number', 'email', 'hours-MO-opens']);
    expect(response.body).toContain('Advice and safety planning.</textarea>');
    expect(response.body).toMatch(/value="dover" checked/);
    expect(response.body).toMatch(/value="men" checked/);
    const ages = await editor.post('/app/directory/services/new', serviceForm(organisationId, { minimumAge: '-3', maximumAge: '130' }));
    expect(ages.body).toContain('Minimum age must be a whole number, like 16');
    expect(ages.body).toContain('Maximum age must be 120 or less');
  });

  it('takes a day open twice, with a break between, through the form, the public page and the feed', async () => {
    const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR'];
    const split = Object.fromEntries(weekdays.flatMap((day) => [[`hours-${day}-opens`, '09:00'], [`hours-${day}-closes`, '12:30'], [`hours-${day}-reopens`, '13:30'], [`hours-${day}-recloses`, '17:00']]));
    await editor.get('/app/directory/services/new');
    const wrong = await editor.post('/app/directory/services/new', serviceForm(organisationId, { ...split, 'hours-TU-reopens': '12:00', 'hours-WE-recloses': '', 'hours-SA-opens': '', 'hours-SA-closes': '', 'hours-SA-reopens': '14:00', 'hours-SA-recloses': '16:00' }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<a href="#hours-TU-reopens">Opening again must be after the first closing time</a>');
    expect(wrong.body).toContain('<a href="#hours-WE-reopens">Enter both times of the opening after a break, or neither</a>');
    expect(wrong.body).toContain('<a href="#hours-SA-opens">Enter the first opening of the day before the one after a break</a>');
    expect(wrong.body).toContain('name="hours-TU-reopens" type="text" value="12:00"');

    const created = await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Lunch Break Service (synthetic)', ...split, 'hours-SA-opens': '', 'hours-SA-closes': '' }));
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers['location']);
    const edit = (await editor.get(`/app/directory/services/${id}/edit`)).body;
    expect(edit).toContain('name="hours-FR-reopens" type="text" value="13:30"');
    expect(edit).toContain('name="hours-FR-recloses" type="text" value="17:00"');
    expect((await editor.get(`/app/directory/services/${id}`)).body).toContain('Monday 09:00 to 12:30 and 13:30 to 17:00; Tuesday 09:00 to 12:30 and 13:30 to 17:00;');
    await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });

    expect((await platform.app.inject({ method: 'GET', url: `/services/${id}` })).body).toMatch(/Monday to Friday<\/dt>\s*<dd class="govuk-summary-list__value">09:00 to 12:30<br>13:30 to 17:00<\/dd>/);
    const feed = JSON.parse((await platform.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).body) as { schedules: Array<{ byday?: string; opens_at?: string; closes_at?: string }> };
    expect(feed.schedules.map(({ byday, opens_at, closes_at }) => ({ byday, opens_at, closes_at }))).toEqual(
      expect.arrayContaining([
        { byday: 'MO,TU,WE,TH,FR', opens_at: '09:00:00', closes_at: '12:30:00' },
        { byday: 'MO,TU,WE,TH,FR', opens_at: '13:30:00', closes_at: '17:00:00' },
      ]),
    );
  });

  it('keeps a new service as a draft, previews it, refuses to publish it incomplete, then publishes it', async () => {
    await editor.get('/app/directory/services/new');
    const created = await editor.post('/app/directory/services/new', serviceForm(organisationId, { areaCodes: [], termCodes: [] }));
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers['location']);
    expect((await platform.app.inject({ method: 'GET', url: `/services/${id}` })).statusCode).toBe(404);
    const page = await editor.get(String(created.headers['location']));
    expect(page.body).toContain('Saved as a draft');
    expect(page.body).toContain('Draft');
    const preview = await editor.get(`/app/directory/services/${id}/preview`);
    expect(preview.body).toContain('Preview: this is how the page will look when published');
    expect(preview.body).toContain('<title>Preview: Demo Harbour Advice Line (synthetic) –');
    expect(preview.body).toContain('Demo Harbour Advice Line (synthetic)');
    expect(preview.body).toContain('Saturday');
    // Published from its preview only: the details page leads there.
    expect(page.body).not.toContain(`action="/app/directory/services/${id}/publish"`);
    expect(page.body).toContain(`href="/app/directory/services/${id}/preview">Preview and publish</a>`);
    expect(preview.body).toContain(`action="/app/directory/services/${id}/publish"`);
    expect(preview.body).toContain('<input type="hidden" name="version" value="1">');

    const refused = await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`href="/app/directory/services/${id}/edit#areaCodes">Add at least one area the service covers`);
    expect(refused.body).toContain('Add at least one need or group the service helps with');

    await editor.get(`/app/directory/services/${id}/edit`);
    expect((await editor.post(`/app/directory/services/${id}/edit`, { ...serviceForm(organisationId), version: '1' })).statusCode).toBe(303);
    const published = await editor.post(`/app/directory/services/${id}/publish`, { version: '2' });
    expect(published.headers['location']).toBe(`/app/directory/services/${id}?notice=published`);
    const publicPage = await platform.app.inject({ method: 'GET', url: `/services/${id}` });
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain('Polish');
    expect(publicPage.body).toContain('Dover, Thanet');
    const oruk = JSON.parse((await platform.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).body) as { name: string };
    expect(oruk.name).toBe('Demo Harbour Advice Line (synthetic)');
    const previewOfPublished = await editor.get(`/app/directory/services/${id}/preview`);
    expect(previewOfPublished.body).not.toContain(`action="/app/directory/services/${id}/publish"`);
    expect(previewOfPublished.body).toContain(`href="/app/directory/services/${id}">Back to the service</a>`);
  });

  it('keeps changes to a published service off the public site until they are published, and records every change', async () => {
    await editor.get('/app/directory/services/new');
    const id = idFrom((await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Original Name (synthetic)' }))).headers['location']);
    await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });
    await editor.get(`/app/directory/services/${id}/edit`);
    await editor.post(`/app/directory/services/${id}/edit`, { ...serviceForm(organisationId, { name: 'Demo Renamed Service (synthetic)', areaCodes: ['dover'] }), version: '2' });

    expect((await platform.app.inject({ method: 'GET', url: `/services/${id}` })).body).toContain('Demo Original Name (synthetic)');
    expect((await editor.get(`/app/directory/services/${id}`)).body).toContain('Published, changes not yet public');
    expect((await editor.get(`/app/directory/services/${id}/preview`)).body).toContain('Demo Renamed Service (synthetic)');

    const stale = await editor.post(`/app/directory/services/${id}/edit`, { ...serviceForm(organisationId, { name: 'Demo Lost Update (synthetic)', offers: 'A long answer typed by the second editor.' }), version: '2' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this service while you were editing it');
    // The form shows what is saved now; what this editor typed is listed beside it to copy back.
    expect(stale.body).toContain('name="name" type="text" value="Demo Renamed Service (synthetic)"');
    expect(stale.body).toContain('name="version" value="3"');
    const keptFrom = stale.body.indexOf('id="unsaved-changes"');
    const kept = stale.body.slice(keptFrom, stale.body.indexOf('<h1', keptFrom));
    expect(kept).toContain('Demo Lost Update (synthetic)');
    expect(kept).toContain('A long answer typed by the second editor.');
    expect(kept).not.toContain('Advice and safety planning.');
    // An answer this editor left as their form showed it is not listed: copied back, it would undo the rename.
    const untouched = await editor.post(`/app/directory/services/${id}/edit`, { ...serviceForm(organisationId, { name: 'Demo Original Name (synthetic)', offers: 'Only the offer changed here.' }), version: '2' });
    const untouchedKept = untouched.body.slice(untouched.body.indexOf('id="unsaved-changes"'), untouched.body.indexOf('<h1', untouched.body.indexOf('id="unsaved-changes"')));
    expect(untouchedKept).toContain('Only the offer changed here.');
    expect(untouchedKept).not.toContain('Demo Original Name (synthetic)');

    await editor.post(`/app/directory/services/${id}/publish`, { version: '3' });
    const live = await platform.app.inject({ method: 'GET', url: `/services/${id}` });
    expect(live.body).toContain('Demo Renamed Service (synthetic)');
    expect(live.body).not.toContain('Demo Lost Update');

    const history = (await editor.get(`/app/directory/services/${id}/history`)).body;
    for (const text of ['published', 'changed', 'created as a draft', 'By Demo Directory Editor (synthetic)', 'Demo Original Name (synthetic)', 'Demo Renamed Service (synthetic)', 'Dover, Thanet']) {
      expect(history).toContain(text);
    }
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', id).orderBy('seq').execute();
    expect(audit.map((event) => event.action)).toEqual(['DIRECTORY_SERVICE_CREATED', 'DIRECTORY_SERVICE_PUBLISHED', 'DIRECTORY_SERVICE_UPDATED', 'DIRECTORY_SERVICE_PUBLISHED']);
  });

  it('keeps the feed’s ids of phones, contacts and opening times that a publication leaves as they were', async () => {
    type Feed = { phones: Array<{ id: string; number: string }>; contacts: Array<{ id: string; name: string }>; schedules: Array<{ id: string; byday?: string }> };
    const feed = async (id: string) => JSON.parse((await platform.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).body) as Feed;
    const form = (changes: Record<string, string>) =>
      serviceForm(organisationId, {
        name: 'Demo Steady Ids (synthetic)',
        'phones-1-number': '01632 960501',
        'phones-1-description': 'Text line',
        'contacts-0-name': 'Demo Contact Person (synthetic)',
        'contacts-0-title': 'Manager',
        ...changes,
      });
    await editor.get('/app/directory/services/new');
    const id = idFrom((await editor.post('/app/directory/services/new', form({}))).headers['location']);
    await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });
    const before = await feed(id);
    expect(before.phones).toHaveLength(2);
    expect(before.contacts).toHaveLength(1);

    await editor.get(`/app/directory/services/${id}/edit`);
    await editor.post(`/app/directory/services/${id}/edit`, { ...form({ 'phones-1-number': '01632 960502', 'hours-SA-closes': '13:00' }), version: '2' });
    await editor.post(`/app/directory/services/${id}/publish`, { version: '3' });
    const after = await feed(id);

    const phoneId = (of: Feed, number: string) => of.phones.find((phone) => phone.number === number)?.id;
    const scheduleId = (of: Feed, byday: string) => of.schedules.find((schedule) => schedule.byday === byday)?.id;
    expect(phoneId(after, '01632 960500')).toBe(phoneId(before, '01632 960500'));
    expect(after.contacts[0]?.id).toBe(before.contacts[0]?.id);
    expect(scheduleId(after, 'MO')).toBe(scheduleId(before, 'MO'));
    // What changed is a new record: the changed phone, and Saturday's new hours.
    expect(phoneId(after, '01632 960502')).not.toBe(phoneId(before, '01632 960501'));
    expect(scheduleId(after, 'SA')).not.toBe(scheduleId(before, 'SA'));
  });

  it('withdraws a service from the public site and the feed', async () => {
    await editor.get('/app/directory/services/new');
    const id = idFrom((await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Withdrawn Service (synthetic)' }))).headers['location']);
    await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });
    // Asked first, on its own page: what withdrawing does, and why it is going.
    const confirm = await editor.get(`/app/directory/services/${id}/withdraw`);
    expect(confirm.body).toContain('People will no longer find it in the service finder');
    expect(confirm.body).toContain('name="reason" type="radio" value="closed"');
    const unexplained = await editor.post(`/app/directory/services/${id}/withdraw`, { version: '2', reason: '', detail: '' });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.body).toContain('href="#reason">Select why the service is coming off the public site');
    const other = await editor.post(`/app/directory/services/${id}/withdraw`, { version: '2', reason: 'other', detail: ' ' });
    expect(other.body).toContain('href="#detail">Say why the service is coming off the public site');
    // The history every editor reads never holds a refuge's address.
    const refuge = { organisationId, name: 'Demo Withdrawal Refuge (synthetic)', locationType: 'physical' as const, confidential: true, address: { address1: '14 Plover Mews', address2: null, city: 'Deal', postalCode: 'CT14 6QQ' }, areaCode: 'dover', accessibility: null };
    await createLocation(platform.services, refuge);
    const naming = await editor.post(`/app/directory/services/${id}/withdraw`, { version: '2', reason: 'other', detail: 'Moving into 14 Plover Mews' });
    expect(naming.statusCode).toBe(400);
    expect(naming.body).toContain('href="#detail">This names the address, street or postcode of a confidential location');
    expect((await platform.app.inject({ method: 'GET', url: `/services/${id}` })).statusCode).toBe(200);
    const withdrawn = await editor.post(`/app/directory/services/${id}/withdraw`, { version: '2', reason: 'not-commissioned', detail: 'Contract ended in November (synthetic).' });
    expect(withdrawn.headers.location).toBe(`/app/directory/services/${id}?notice=withdrawn`);
    expect((await editor.get(`/app/directory/services/${id}/history`)).body).toContain('withdrawn from the public site: It is no longer commissioned or funded (“Contract ended in November (synthetic).”)');
    const audited = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'DIRECTORY_SERVICE_WITHDRAWN').where('record_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(audited.details)).toEqual({ reason: 'not-commissioned' });
    expect((await platform.app.inject({ method: 'GET', url: `/services/${id}` })).statusCode).toBe(404);
    expect((await platform.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).statusCode).toBe(404);
    expect((await platform.app.inject({ method: 'GET', url: '/services?location=Dover&need=men' })).body).not.toContain('Demo Withdrawn Service');
  });

  it('lists services not reviewed for six months, flags them each day, and clears them when reviewed', async () => {
    const { services } = platform;
    const reviews = await editor.get('/app/directory/reviews');
    const due = [...reviews.body.matchAll(/href="\/app\/directory\/services\/([0-9a-f-]+)"/g)].map((match) => match[1] ?? '');
    expect(due.length).toBeGreaterThanOrEqual(3);
    const target = due[0] ?? '';
    await setLastReviewed(services.db.kysely, target, new Date(Date.now() - 200 * 24 * 60 * 60 * 1000).toISOString());
    await flagReviewsJob.run(services);
    const flags = await services.db.kysely.selectFrom('directory_services').select('id').where('review_flagged_at', 'is not', null).execute();
    expect(flags.map((row) => row.id).sort()).toEqual([...due].sort());
    expect(await services.directory.editor.flagReviewsDue()).toBe(0);

    // The editors are emailed once for the batch, with a link to the list and nothing about the services.
    const reminders = await services.db.kysely.selectFrom('outbox_messages').select(['recipient_enc', 'body_text']).where('subject', '=', REVIEW_REMINDER_SUBJECT).execute();
    const recipients = reminders.map((row) => services.crypto.decrypt(row.recipient_enc));
    expect(recipients).toContain('editor@demo.invalid');
    expect(recipients).not.toContain('practitioner@demo.invalid');
    expect(new Set(recipients).size).toBe(recipients.length);
    const body = services.crypto.decrypt(reminders[0]?.body_text ?? '');
    expect(body).toContain(`${services.config.baseUrl.replace(/\/$/, '')}/app/directory/reviews`);
    const flaggedNames = await services.db.kysely.selectFrom('directory_services').select('name').where('id', 'in', due).execute();
    for (const { name } of flaggedNames) expect(body).not.toContain(name);
    const page = await editor.get(`/app/directory/services/${target}`);
    expect(page.body).toContain('Not reviewed for 6 months');
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    await editor.post(`/app/directory/services/${target}/review`, { version });
    expect((await editor.get('/app/directory/reviews')).body).not.toContain(target);
    expect((await platform.app.inject({ method: 'GET', url: `/services/${target}` })).body).toContain(`Information checked on ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date())}`);
  });

  it('will not mark a service reviewed while it is a draft, or has changes the public does not see yet', async () => {
    await editor.get('/app/directory/services/new');
    const id = idFrom((await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Pending Review (synthetic)' }))).headers['location']);
    expect((await editor.get(`/app/directory/services/${id}`)).body).not.toContain('Mark as reviewed today');
    const draft = await editor.post(`/app/directory/services/${id}/review`, { version: '1' });
    expect(draft.statusCode).toBe(409);
    expect(draft.body).toContain('Only a service on the public site is marked as reviewed');
    await editor.post(`/app/directory/services/${id}/publish`, { version: '1' });
    await editor.get(`/app/directory/services/${id}/edit`);
    await editor.post(`/app/directory/services/${id}/edit`, serviceForm(organisationId, { name: 'Demo Pending Review (synthetic)', offers: 'New offer, not yet published.', version: '2' }));
    const page = await editor.get(`/app/directory/services/${id}`);
    expect(page.body).toContain('Publish them (or change them back) before marking it as reviewed');
    expect(page.body).not.toContain('Mark as reviewed today');
    const refused = await editor.post(`/app/directory/services/${id}/review`, { version: '3' });
    expect(refused.statusCode).toBe(409);
    const row = await platform.services.db.kysely.selectFrom('directory_services').select(['last_reviewed_at', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.version).toBe(3);
  });

  it('accepts call-backs only for an organisation linked to a partner who can receive them', async () => {
    await editor.get('/app/directory/services/new');
    const response = await editor.post('/app/directory/services/new', serviceForm(organisationId, { acceptsCallbacks: 'yes' }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('link the organisation to a partner organisation first');
  });

  it('keeps a new organisation and location off the public site until published, and their later changes until published again', async () => {
    const { services } = platform;
    const publicPage = async (url: string) => (await platform.app.inject({ method: 'GET', url })).body;
    const idIn = (response: { headers: Record<string, unknown> }, kind: string) => new RegExp(`${kind}/([0-9a-f-]+)`).exec(String(response.headers['location']))?.[1] ?? '';

    await editor.get('/app/directory/organisations/new');
    const organisation = idIn(await editor.post('/app/directory/organisations/new', { name: 'Demo Kestrel Trust (synthetic)', description: 'Kestrel support.', email: '', website: '' }), 'organisations');
    await editor.get('/app/directory/locations/new');
    const location = idIn(await editor.post('/app/directory/locations/new', { organisationId: organisation, name: 'Kestrel Hub', locationType: 'physical', address1: '4 Demo Wharf (synthetic)', city: 'Deal', postalCode: 'CT14 9ZZ' }), 'locations');
    expect((await editor.get(`/app/directory/organisations/${organisation}`)).body).toContain('Not on the public site yet');

    await editor.get('/app/directory/services/new');
    const serviceId = idFrom((await editor.post('/app/directory/services/new', serviceForm(organisation, { name: 'Kestrel Advice (synthetic)', locationIds: [location] }))).headers['location']);
    const refused = await editor.post(`/app/directory/services/${serviceId}/publish`, { version: '1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`href="/app/directory/organisations/${organisation}">Publish the organisation “Demo Kestrel Trust (synthetic)” first`);
    expect(refused.body).toContain(`href="/app/directory/locations/${location}">Publish the location “Kestrel Hub” first`);

    expect((await editor.post(`/app/directory/organisations/${organisation}/publish`, { version: '1' })).statusCode).toBe(303);
    expect((await editor.post(`/app/directory/locations/${location}/publish`, { version: '1' })).statusCode).toBe(303);
    expect((await editor.post(`/app/directory/services/${serviceId}/publish`, { version: '1' })).statusCode).toBe(303);
    expect(await publicPage(`/services/${serviceId}`)).toContain('4 Demo Wharf (synthetic)');
    const lastModified = async () => (JSON.parse(await publicPage(`/api/oruk/services/${serviceId}`)) as { last_modified: string }).last_modified;
    const firstPublished = await lastModified();

    await editor.get(`/app/directory/organisations/${organisation}/edit`);
    await editor.post(`/app/directory/organisations/${organisation}/edit`, { name: 'Demo Kestrel Trust East (synthetic)', description: 'Kestrel support, now county-wide.', email: '', website: '', version: '2' });
    await editor.get(`/app/directory/locations/${location}/edit`);
    const saved = await editor.post(`/app/directory/locations/${location}/edit`, { organisationId: organisation, name: 'Kestrel Hub', locationType: 'physical', address1: '6 Demo Quay (synthetic)', city: 'Deal', postalCode: 'CT14 9ZZ', version: '2' });
    expect((await editor.get(String(saved.headers['location']))).body).toContain('The public site shows them once you publish them');
    const before = await publicPage(`/services/${serviceId}`);
    expect(before).toContain('4 Demo Wharf (synthetic)');
    expect(before).toContain('Demo Kestrel Trust (synthetic)');
    expect(before).not.toContain('Kestrel Trust East');
    expect((await publicPage(`/api/oruk/services/${serviceId}`))).not.toContain('now county-wide');

    const pending = (await editor.get(`/app/directory/organisations/${organisation}`)).body;
    expect(pending).toContain('Changes not yet on the public site');
    expect(pending).toMatch(/<th scope="row" class="govuk-table__header">Description<\/th><td class="govuk-table__cell">Kestrel support.<\/td><td class="govuk-table__cell">Kestrel support, now county-wide.<\/td>/);
    expect((await editor.get('/app/directory/locations')).body).toContain('Published, changes not yet public');

    // Someone else's change in between: publishing is refused rather than putting details on the site unseen.
    expect((await editor.post(`/app/directory/organisations/${organisation}/publish`, { version: '2' })).statusCode).toBe(409);
    expect((await editor.post(`/app/directory/organisations/${organisation}/publish`, { version: '3' })).statusCode).toBe(303);
    expect((await editor.post(`/app/directory/locations/${location}/publish`, { version: '3' })).statusCode).toBe(303);
    const after = await publicPage(`/services/${serviceId}`);
    expect(after).toContain('6 Demo Quay (synthetic)');
    expect(after).toContain('Demo Kestrel Trust East (synthetic)');
    expect(await publicPage(`/api/oruk/services/${serviceId}`)).toContain('now county-wide');
    // A partner syncing the feed by modified_after sees the service changed, though the service itself was not republished.
    const republished = await services.db.kysely.selectFrom('directory_locations').select('published_at').where('id', '=', location).executeTakeFirstOrThrow();
    expect(await lastModified()).toBe(republished.published_at);
    expect(await lastModified() > firstPublished).toBe(true);
    expect((await editor.get(`/app/directory/organisations/${organisation}`)).body).not.toContain('Changes not yet on the public site');
    const history = await services.directory.records.history('organisation', organisation);
    expect(history.map((entry) => entry.action)).toEqual(['published', 'changed', 'published', 'created as a draft']);
    const audited = await services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', location).orderBy('seq').execute();
    expect(audited.map((event) => event.action)).toEqual(['DIRECTORY_LOCATION_CREATED', 'DIRECTORY_LOCATION_PUBLISHED', 'DIRECTORY_LOCATION_UPDATED', 'DIRECTORY_LOCATION_PUBLISHED']);

    // Made confidential, the location leaves the service's public record at once: so the service's last_modified moves.
    const beforeConfidential = await lastModified();
    await editor.get(`/app/directory/locations/${location}/edit`);
    await editor.post(`/app/directory/locations/${location}/edit`, { organisationId: organisation, name: 'Kestrel Hub', locationType: 'physical', confidential: 'yes', address1: '6 Demo Quay (synthetic)', city: 'Deal', postalCode: 'CT14 9ZZ', version: '4' });
    const madeConfidential = await services.db.kysely.selectFrom('directory_locations').select(['confidential', 'published_at']).where('id', '=', location).executeTakeFirstOrThrow();
    expect(madeConfidential.confidential).toBe(1);
    expect(await lastModified()).toBe(madeConfidential.published_at);
    expect(await lastModified() > beforeConfidential).toBe(true);
  });

  it('adds organisations and confidential locations, showing a confidential address only on request, and audits that', async () => {
    await editor.get('/app/directory/organisations/new');
    const partner = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    const organisation = await editor.post('/app/directory/organisations/new', { name: 'Demo Shelter Trust (synthetic)', description: 'Test.', email: '', website: '', partnerOrganisationId: partner?.id ?? '' });
    const newOrganisationId = /organisations\/([0-9a-f-]+)/.exec(String(organisation.headers['location']))?.[1] ?? '';
    expect((await editor.get(`/app/directory/organisations/${newOrganisationId}`)).body).toContain('Demo Domestic Abuse Support Service (synthetic)');

    const form = (await editor.get('/app/directory/locations/new')).body;
    // A browser offering to save a refuge's address as the editor's own would keep it on the device.
    for (const field of ['address1', 'address2', 'city', 'postalCode']) expect(form, field).toMatch(new RegExp(`<input\\s[^>]*name="${field}"[^>]*autocomplete="off"`));
    const bad = await editor.post('/app/directory/locations/new', { organisationId: newOrganisationId, name: 'Safe House', locationType: 'physical', confidential: 'yes', address1: '9 Hidden Lane', city: '', postalCode: 'NOTAPOSTCODE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the town or city');
    expect(bad.body).toContain('Enter a full postcode, like ME14 1XX');
    expect(bad.body).toContain('value="NOTAPOSTCODE"');

    const created = await editor.post('/app/directory/locations/new', { organisationId: newOrganisationId, name: 'Safe House', locationType: 'physical', confidential: 'yes', address1: '9 Hidden Lane', city: 'Ramsgate', postalCode: 'ct11 8zz' });
    const locationId = /locations\/([0-9a-f-]+)/.exec(String(created.headers['location']))?.[1] ?? '';
    const hidden = await editor.get(`/app/directory/locations/${locationId}`);
    expect(hidden.body).not.toContain('Hidden Lane');
    expect(hidden.body).toContain('Show the address');
    // Only a form shows it: an address in a link (which any page could make an editor follow) shows nothing.
    expect((await editor.get(`/app/directory/locations/${locationId}?reveal=1`)).body).not.toContain('Hidden Lane');
    expect((await editor.post(`/app/directory/locations/${locationId}/reveal`, {}, { csrf: null })).statusCode).toBe(403);
    const shown = await editor.post(`/app/directory/locations/${locationId}/reveal`, {});
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('9 Hidden Lane');
    expect(shown.body).toContain('CT11 8ZZ');
    expect((await editor.get('/app/directory/locations')).body).not.toContain('Hidden Lane');
    const views = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', locationId).orderBy('seq').execute();
    expect(views.map((event) => event.action)).toEqual(['DIRECTORY_LOCATION_CREATED', 'DIRECTORY_CONFIDENTIAL_ADDRESS_VIEWED']);

    await editor.get(`/app/directory/locations/${locationId}/edit`);
    await editor.post(`/app/directory/locations/${locationId}/edit`, { organisationId: newOrganisationId, name: 'Safe House East', locationType: 'physical', confidential: 'yes', version: '1' });
    await editor.get(`/app/directory/locations/${locationId}`);
    expect((await editor.post(`/app/directory/locations/${locationId}/reveal`, {})).body).toContain('9 Hidden Lane');
    const history = (await editor.get(`/app/directory/locations/${locationId}/history`)).body;
    expect(history).toContain('Safe House East');
    expect(history).not.toContain('Hidden Lane');
  });

  it('keeps a service change typed when the session timed out, and puts it back in the form once after signing in', async () => {
    // Timing out ends every session of this editor's, so the shared one is renewed afterwards, pass or fail.
    try {
      const visitor = await signIn(platform, 'editor@demo.invalid');
      await visitor.get('/app/directory/services/new');
      const created = await visitor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Kept Change (synthetic)' }));
      const serviceId = idFrom(created.headers['location']);
      await visitor.get(`/app/directory/services/${serviceId}/edit`);
      await idleFor31Minutes(platform, 'editor@demo.invalid');
      const timedOut = await visitor.post(`/app/directory/services/${serviceId}/edit`, serviceForm(organisationId, { name: 'Demo Kept Change (synthetic)', description: 'A long description typed just before the session ended.', version: '1' }));
      expect(timedOut.headers.location).toBe('/app/sign-in?ended=1&kept=1');
      expect((await platform.services.directory.editor.get(serviceId))?.description).toBe('A test advice line.');

      expect(await signInOn(visitor, platform, 'editor@demo.invalid')).toBe(`/app/directory/services/${serviceId}/edit`);
      const restored = await visitor.get(`/app/directory/services/${serviceId}/edit`);
      expect(restored.body).toContain('This was not saved: the page was left open until the sign-in timed out');
      expect(restored.body).toContain('A long description typed just before the session ended.');
      expect((await visitor.get(`/app/directory/services/${serviceId}/edit`)).body).not.toContain('typed just before the session ended');
    } finally {
      editor = await signIn(platform, 'editor@demo.invalid');
    }
  });

  it('takes off the public site, as a location is made confidential, the published services and information pages that name its address', async () => {
    const { services } = platform;
    const address = { address1: '5 Wrenfield Close', address2: null, city: 'Ashford', postalCode: 'TN23 1AB' };
    const location = { organisationId, name: 'Drop-in becoming a refuge', locationType: 'physical' as const, confidential: false, address, areaCode: 'ashford', accessibility: null };
    const locationId = await createLocation(services, location);
    const serviceId = await publishService(services, serviceInput(organisationId, { name: 'Demo Wrenfield Drop-in (synthetic)', description: 'Drop-in at 5 Wrenfield Close, Ashford.', locationIds: [locationId] }));
    const unrelatedId = await publishService(services, serviceInput(organisationId, { name: 'Demo Wrenfield Elsewhere (synthetic)', description: 'A phone line.' }));
    const neighbourId = await createLocation(services, { ...location, name: 'Neighbouring hall', address: { address1: '7 Wrenfield Close', address2: null, city: 'Ashford', postalCode: 'TN23 1AD' }, accessibility: 'Next door to 5 Wrenfield Close.' });
    const actor = await editorActor(services);
    const origin = { ip: '127.0.0.1', requestId: 'test' };
    const [page] = (await services.support.pages.listForEditors()).filter((row) => row.lang === 'en' && row.slug === 'clares-law');
    const { page: pageRow, revision } = await services.support.pages.forEditing(page?.id ?? '');
    await services.support.pages.saveDraft(actor, pageRow.id, { title: revision?.title ?? '', summary: revision?.summary ?? '', body: `${revision?.body ?? ''}\n\nDrop in at 5 Wrenfield Close.`, changeNote: 'Drop-in', version: pageRow.version }, origin);
    await services.support.pages.publish(actor, pageRow.id, pageRow.version + 1, origin);
    const publicPage = () => platform.app.inject({ url: '/clares-law' });
    expect((await publicPage()).body).toContain('5 Wrenfield Close');
    expect((await editor.get(`/app/directory/locations/${locationId}`)).body).not.toContain('published text still names its address');

    await editor.get(`/app/directory/locations/${locationId}/edit`);
    const saved = await editor.post(`/app/directory/locations/${locationId}/edit`, { organisationId, name: location.name, locationType: 'physical', confidential: 'yes', address1: address.address1, city: address.city, postalCode: address.postalCode, areaCode: 'ashford', version: '2' });
    expect(saved.headers.location).toBe(`/app/directory/locations/${locationId}?notice=withheld`);
    expect((await editor.get(String(saved.headers.location))).body).toContain('Published text that named this address has been taken off the public site at once');

    for (const url of [`/services/${serviceId}`, `/api/oruk/services/${serviceId}`]) expect((await platform.app.inject({ url })).statusCode, url).toBe(404);
    expect((await platform.app.inject({ url: `/services/${unrelatedId}` })).statusCode).toBe(200);
    expect((await publicPage()).body).not.toContain('Wrenfield');
    const neighbour = await platform.services.db.kysely.selectFrom('directory_locations').select(['published_document', 'has_unpublished_changes']).where('id', '=', neighbourId).executeTakeFirstOrThrow();
    expect(neighbour).toEqual({ published_document: null, has_unpublished_changes: 1 });
    const service = await services.directory.editor.get(serviceId);
    expect(service?.publication).toBe('withdrawn');
    expect(service?.description).toBe('Drop-in at 5 Wrenfield Close, Ashford.');
    const history = await services.directory.records.history('service', serviceId);
    expect(history.map((entry) => entry.action)).toContain('withdrawn from the public site');
    expect(JSON.stringify(history)).toContain(WITHHELD);
    const pageHistory = await editor.get(`/app/content/pages/${pageRow.id}/history`);
    expect(pageHistory.body).toContain(`by Demo Directory Editor (synthetic): ${NAMED_CONFIDENTIAL_ADDRESS}`);
  });

  it('warns, on a location made confidential, of information pages and help-now numbers that still name its address', async () => {
    const { services } = platform;
    const address = { address1: '8 Brackenmoor Walk', address2: null, city: 'Dover', postalCode: 'CT16 2ZX' };
    const location = { organisationId, name: 'Hall becoming a refuge', locationType: 'physical' as const, confidential: false, address, areaCode: 'dover', accessibility: null };
    const locationId = await createLocation(services, location);
    const actor = await editorActor(services);
    const origin = { ip: '127.0.0.1', requestId: 'test' };
    const [page] = (await services.support.pages.listForEditors()).filter((row) => row.lang === 'en' && row.slug !== 'home');
    const { page: pageRow, revision } = await services.support.pages.forEditing(page?.id ?? '');
    const title = revision?.title ?? '';
    await services.support.pages.saveDraft(actor, pageRow.id, { title, summary: revision?.summary ?? '', body: `${revision?.body ?? ''}\n\nDrop in at 8 Brackenmoor Walk.`, changeNote: 'Drop-in', version: pageRow.version }, origin);
    await services.support.pages.publish(actor, pageRow.id, pageRow.version + 1, origin);
    const [helpline] = await services.support.helplines.listForEditors();
    const line = await services.support.helplines.get(helpline?.id ?? '');
    await services.support.helplines.update(actor, line.id, { nameEn: line.texts['en']?.name ?? '', availabilityEn: 'Or visit Brackenmoor Walk, Dover', nameEasyRead: '', availabilityEasyRead: '', namePl: '', availabilityPl: '', displayNumber: line.display_number, sourceNote: line.source_note, checked: 'no', version: line.version }, origin);

    await services.directory.records.updateLocation(actor, locationId, 2, { ...location, confidential: true }, origin);
    const warning = (await editor.get(`/app/directory/locations/${locationId}`)).body;
    expect(warning).toContain(`<a class="govuk-link" href="/app/content/pages/${pageRow.id}">${title}</a> (information page, English)`);
    expect(warning).toContain(`<a class="govuk-link" href="/app/content/helplines/${line.id}">${line.texts['en']?.name ?? ''}</a> (help-now number)`);
  });

  it('refuses organisation, location and service text that names a confidential address, by its line, street or postcode', async () => {
    const partner = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    await editor.get('/app/directory/locations/new');
    await editor.post('/app/directory/locations/new', { organisationId, name: 'Refuge West', locationType: 'physical', confidential: 'yes', address1: '4 Quietwater Mews', city: 'Faversham', postalCode: 'ME13 7ZZ' });

    await editor.get('/app/directory/organisations/new');
    const organisation = { name: 'Demo Haven Trust (synthetic)', email: '', website: '', partnerOrganisationId: partner?.id ?? '' };
    const refused = await editor.post('/app/directory/organisations/new', { ...organisation, description: 'Our refuge is on Quietwater Mews in Faversham.' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This names the address, street or postcode of a confidential location');
    expect(refused.body).toContain('href="#description"');
    expect(refused.body).toContain('Our refuge is on Quietwater Mews in Faversham.');
    const listed = await platform.services.directory.records.listOrganisations();
    expect(listed.map((row) => row.name)).not.toContain('Demo Haven Trust (synthetic)');

    // A street of its own name places the refuge even alone (the page around the text names the area)...
    await editor.get('/app/directory/organisations/new');
    const alone = await editor.post('/app/directory/organisations/new', { ...organisation, name: 'Demo Mews Trust (synthetic)', description: 'Our refuge is on Quietwater Mews.' });
    expect(alone.statusCode).toBe(400);
    // ...but a street found in every town does not, without its town, locality or district.
    await editor.post('/app/directory/locations/new', { organisationId, name: 'Refuge East', locationType: 'physical', confidential: 'yes', address1: 'Larch House', address2: '27 Station Road', city: 'Sittingbourne', postalCode: 'ME10 9ZZ' });
    await editor.get('/app/directory/organisations/new');
    const elsewhere = await editor.post('/app/directory/organisations/new', { ...organisation, name: 'Demo Station Trust (synthetic)', description: 'Our office is on Station Road in Dover.' });
    expect(elsewhere.statusCode).toBe(303);
    // A house name first, the number and street on the second line: the street is still found there.
    await editor.get('/app/directory/organisations/new');
    const secondLine = await editor.post('/app/directory/organisations/new', { ...organisation, name: 'Demo Larch Trust (synthetic)', description: 'We are at 27 Station Road.' });
    expect(secondLine.statusCode).toBe(400);
    await editor.get('/app/directory/organisations/new');
    expect((await editor.post('/app/directory/organisations/new', { ...organisation, name: 'Demo Larch Trust (synthetic)', description: 'Find us on Station Road, Sittingbourne.' })).statusCode).toBe(400);

    // A public place on the refuge's street is a place of its own (a drop-in at number 9); the refuge's house is not.
    const sameStreet = { organisationId, locationType: 'physical', confidential: '', city: 'Faversham', postalCode: 'ME13 8AB', address1: '9 Quietwater Mews' };
    expect((await editor.post('/app/directory/locations/new', { ...sameStreet, name: 'Drop-in on the mews' })).statusCode).toBe(303);
    const refugeHouse = await editor.post('/app/directory/locations/new', { ...sameStreet, name: 'Drop-in at the refuge', address1: '4 Quietwater Mews' });
    expect(refugeHouse.statusCode).toBe(400);
    expect(refugeHouse.body).toContain('href="#address1"');
    const refugePostcode = await editor.post('/app/directory/locations/new', { ...sameStreet, name: 'Drop-in by postcode', postalCode: 'ME13 7ZZ' });
    expect(refugePostcode.body).toContain('href="#postalCode"');
    expect((await editor.post('/app/directory/locations/new', { ...sameStreet, name: 'Drop-in with directions', accessibility: 'Turn into Quietwater Mews.' })).body).toContain('href="#accessibility"');

    const location = { organisationId, locationType: 'physical', confidential: '', city: 'Faversham', postalCode: 'ME13 8AA' };
    const publicLocation = await editor.post('/app/directory/locations/new', { ...location, name: 'Drop-in', address1: '2 Market Place', accessibility: 'Round the corner from me13 7zz.' });
    expect(publicLocation.statusCode).toBe(400);
    expect(publicLocation.body).toContain('This names the address, street or postcode of a confidential location');

    // A service is refused as it is saved, as organisations and locations are: its drafts stay in its history.
    await editor.get('/app/directory/services/new');
    const slip = await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Street Slip (synthetic)', description: 'Find us at Quietwater Mews, ME13.' }));
    expect(slip.statusCode).toBe(400);
    expect(slip.body).toContain('This names the address, street or postcode of a confidential location');
    expect(slip.body).toContain('href="#description"');
    expect(slip.body).toContain('Find us at Quietwater Mews, ME13.');
    expect((await editor.get('/app/directory?q=Street+Slip')).body).not.toContain('Demo Street Slip');

    // Text saved before its address was made confidential is caught when the service is published, and when edited.
    await editor.get('/app/directory/services/new');
    const serviceId = idFrom((await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Lantern Slip (synthetic)', description: 'Find us at 8 Lantern Row, ME13 6ZZ.' }))).headers['location']);
    await editor.post('/app/directory/locations/new', { organisationId, name: 'Refuge South', locationType: 'physical', confidential: 'yes', address1: '8 Lantern Row', city: 'Faversham', postalCode: 'ME13 6ZZ' });
    const publish = await editor.post(`/app/directory/services/${serviceId}/publish`, { version: '1' });
    expect(publish.statusCode).toBe(400);
    expect(publish.body).toContain('This names the address, street or postcode of a confidential location');
    expect((await platform.app.inject({ method: 'GET', url: `/services/${serviceId}` })).statusCode).toBe(404);
    const edit = await editor.post(`/app/directory/services/${serviceId}/edit`, { ...serviceForm(organisationId, { name: 'Demo Lantern Slip (synthetic)', description: 'Still at 8 Lantern Row.' }), version: '1' });
    expect(edit.statusCode).toBe(400);
    expect(edit.body).toContain('href="#description"');
  });

  it('finds services in the list by part of their name, taking % and _ as the characters typed', async () => {
    await editor.get('/app/directory/services/new');
    await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo 100% Pledge (synthetic)' }));
    await editor.get('/app/directory/services/new');
    await editor.post('/app/directory/services/new', serviceForm(organisationId, { name: 'Demo Plain Pledge (synthetic)' }));
    const listed = (query: string) => editor.get(`/app/directory?q=${encodeURIComponent(query)}`).then((page) => page.body);
    const pledges = await listed('pledge');
    expect(pledges).toContain('Demo 100% Pledge (synthetic)');
    expect(pledges).toContain('Demo Plain Pledge (synthetic)');
    const percent = await listed('%');
    expect(percent).toContain('Demo 100% Pledge (synthetic)');
    expect(percent).not.toContain('Demo Plain Pledge (synthetic)');
    const underscore = await listed('_');
    expect(underscore).not.toContain('Demo 100% Pledge (synthetic)');
    expect(underscore).not.toContain('Demo Plain Pledge (synthetic)');
  });

  it('takes a website only as an https address on a named site, keeping what was typed', async () => {
    const partner = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    for (const website of ['http://example.org', 'https://localhost', 'https://10.0.0.1/refuge', 'javascript:alert(1)', 'www.example.org']) {
      await editor.get('/app/directory/organisations/new');
      const refused = await editor.post('/app/directory/organisations/new', { name: 'Demo Website Trust (synthetic)', description: 'Kept text.', email: '', website, partnerOrganisationId: partner?.id ?? '' });
      expect(refused.statusCode, website).toBe(400);
      expect(refused.body, website).toContain('Enter the website address in full, starting https://, like https://www.example.org');
      expect(refused.body, website).toContain('Kept text.');
    }
    await editor.get('/app/directory/organisations/new');
    const accepted = await editor.post('/app/directory/organisations/new', { name: 'Demo Website Trust (synthetic)', description: 'Kept text.', email: '', website: 'https://www.example.org/help?from=kent', partnerOrganisationId: partner?.id ?? '' });
    expect(accepted.statusCode).toBe(303);
  });

  it('shows the first page of the list for a page number that is not one', async () => {
    for (const page of ['99999999999999999999', '-1', 'two', '1e9']) {
      const list = await editor.get(`/app/directory?page=${page}`);
      expect(list.statusCode, page).toBe(200);
      expect(list.body, page).toContain('Service directory');
    }
  });

  it('shows the form again for a choice that is no longer on the list, keeping what was typed', async () => {
    await editor.get('/app/directory/organisations/new');
    const unknownPartner = await editor.post('/app/directory/organisations/new', { name: 'Demo Gone Partner (synthetic)', description: 'Kept text.', email: '', website: '', partnerOrganisationId: '01a24923-0000-7000-8000-000000000000' });
    expect(unknownPartner.statusCode).toBe(400);
    expect(unknownPartner.body).toContain('Choose a partner organisation from the list');
    expect(unknownPartner.body).toContain('Kept text.');

    await editor.get('/app/directory/locations/new');
    const unknownArea = await editor.post('/app/directory/locations/new', { organisationId, name: 'Demo Nowhere Office', locationType: 'physical', confidential: '', address1: '1 Test Road', city: 'Dover', postalCode: 'CT16 1ZZ', areaCode: 'atlantis' });
    expect(unknownArea.statusCode).toBe(400);
    expect(unknownArea.body).toContain('Choose an area from the list');
    expect(unknownArea.body).toContain('Demo Nowhere Office');
  });
});
