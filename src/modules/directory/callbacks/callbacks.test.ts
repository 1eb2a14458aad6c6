import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn, Visitor } from '../../../../test/support/visitor.js';
import type { Actor } from '../../../platform/access/policy.js';
import { ORIGIN } from '../test-fixtures.js';

const PHONE = '07700 900 123';
const SAFE_WORD = 'Bluebottle';

describe('safe call-back requests', () => {
  let platform: TestPlatform;
  let serviceId: string;
  let serviceName: string;

  const countRows = async (table: 'directory_callback_requests' | 'outbox_messages') =>
    Number((await platform.services.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** A visitor who has opened the form (and so holds its cookie and token). */
  async function atForm(lang = ''): Promise<Visitor> {
    const visitor = new Visitor(platform.app);
    const form = await visitor.get(`/services/${serviceId}/call-back${lang}`);
    expect(form.statusCode).toBe(200);
    return visitor;
  }

  beforeAll(async () => {
    platform = await createTestPlatform();
    const published = await platform.services.directory.published.current();
    const service = published.services.find((candidate) => candidate.acceptsCallbacks && candidate.name.includes('Margate'));
    serviceId = service?.id ?? '';
    serviceName = service?.name ?? '';
  });
  afterAll(() => platform.close());

  it('sets a cookie only on the form page, not on the service page that links to it', async () => {
    const page = await platform.app.inject({ method: 'GET', url: `/services/${serviceId}` });
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain(`href="/services/${serviceId}/call-back"`);
    const form = await platform.app.inject({ method: 'GET', url: `/services/${serviceId}/call-back` });
    expect(String(form.headers['set-cookie'])).toMatch(/^form_token=.*HttpOnly.*SameSite=Strict/);
    // Gone after two hours at most, browser closed or not: a phone's browser may stay open for days.
    expect(String(form.headers['set-cookie'])).toMatch(/Max-Age=7200(;|$)/);
    expect(form.headers['cache-control']).toBe('no-store');
  });

  it('keeps what is typed from the browser’s spell checker (which may send it online) and its memory of earlier typing', async () => {
    const form = await platform.app.inject({ method: 'GET', url: `/services/${serviceId}/call-back` });
    const fields = form.body.match(/<(?:input|textarea)\b[^>]*\bname="(?!_csrf|safeTimes"|leaveMessage)[^"]+"[^>]*>/g) ?? [];
    expect(fields.map((field) => /name="([^"]+)"/.exec(field)?.[1])).toEqual(['phone', 'safeTimesDetail', 'name', 'safeWord', 'notes']);
    for (const field of fields) {
      expect(field).toContain('autocomplete="off"');
      // A phone number is not spell checked; every other box says so.
      if (!field.includes('type="tel"')) expect(field).toContain('spellcheck="false"');
    }
  });

  it('binds the form afresh when the browser brings an empty form cookie, so the form can still be sent', async () => {
    const form = await platform.app.inject({ method: 'GET', url: `/services/${serviceId}/call-back`, headers: { cookie: 'form_token=' } });
    expect(String(form.headers['set-cookie'])).toMatch(/^form_token=[^;]+;/);
  });

  it('explains each problem and keeps what was typed', async () => {
    const visitor = await atForm();
    const response = await visitor.post(`/services/${serviceId}/call-back`, { phone: 'call me', name: 'Sam', notes: 'Needs an interpreter', safeTimes: 'weekend' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('<a href="#phone">Enter a phone number with 10 to 15 digits, like 07700 900 982</a>');
    expect(response.body).toContain('<a href="#leaveMessage">Select whether they can leave a message</a>');
    expect(response.body).toContain('value="call me"');
    expect(response.body).toContain('value="Sam"');
    expect(response.body).toContain('Needs an interpreter</textarea>');
    expect(response.body).toMatch(/value="weekend" checked/);
    const empty = await visitor.post(`/services/${serviceId}/call-back`, {});
    expect(empty.body).toContain('<a href="#safeTimes">Select when it is safe to call, or tell us in the box</a>');
    expect(empty.body).toContain('<a href="#phone">Enter a phone number, like 07700 900 982</a>');
    // In the order of the form, and a time that is not one of the boxes is asked about in plain words.
    const tampered = await visitor.post(`/services/${serviceId}/call-back`, { safeTimes: 'bogus' });
    expect(tampered.body).not.toContain('Invalid option');
    const summary = tampered.body.slice(tampered.body.indexOf('govuk-error-summary__list'));
    const positions = ['#phone', '#safeTimes', '#leaveMessage'].map((href) => summary.indexOf(`href="${href}"`));
    expect(positions.every((position) => position > -1)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(await countRows('directory_callback_requests')).toBe(0);
  });

  it('words the errors in the reader’s language', async () => {
    const visitor = await atForm('?lang=pl');
    const response = await visitor.post(`/services/${serviceId}/call-back?lang=pl`, { name: 'x'.repeat(101) });
    expect(response.body).toContain('Wpisz numer telefonu, na przykład 07700 900 982');
    // Every word of the error pattern, not only the messages: the summary's title, the page title and the hidden prefix.
    expect(response.body).toContain('Wystąpił problem');
    expect(response.body).toMatch(/<title>Błąd: /);
    expect(response.body).toContain('<span class="govuk-visually-hidden">Błąd:</span>');
    expect(response.body).not.toMatch(/There is a problem|>Error:/);
    // The summary follows the page: the phone number is asked first, the name later.
    const summary = response.body.slice(response.body.indexOf('govuk-error-summary__list'));
    expect(summary.indexOf('href="#phone"')).toBeGreaterThan(-1);
    expect(summary.indexOf('href="#phone"')).toBeLessThan(summary.indexOf('href="#name"'));
    // A try refused as expired says so in Polish as well.
    const expired = await visitor.post(`/services/${serviceId}/call-back?lang=pl`, { phone: PHONE }, { csrf: 'stale' });
    expect(expired.statusCode).toBe(403);
    expect(expired.body).toContain('Ten formularz wygasł');
    expect(expired.body).toContain('Numer referencyjny');
    // With a way back to a fresh form, in the reader's language.
    expect(expired.body).toContain(`<a class="govuk-link" href="/services/${serviceId}/call-back?lang=pl">Otwórz formularz ponownie</a>`);
  });

  it('refuses a request without the form’s token and stores nothing', async () => {
    const visitor = await atForm();
    const response = await visitor.post(`/services/${serviceId}/call-back`, { phone: PHONE, leaveMessage: 'no', safeTimes: 'weekend' }, { csrf: null });
    expect(response.statusCode).toBe(403);
    // Says why as it is: the form's cookie lasts two hours, browser closed or not.
    expect(response.body).toContain('or two hours after it was opened');
    expect(response.body).toContain('Open the form again');
    expect(await countRows('directory_callback_requests')).toBe(0);
  });

  it('stores the request encrypted, audits it, sends nothing to the person, and confirms without revealing anything', async () => {
    const outboxBefore = await countRows('outbox_messages');
    const visitor = await atForm();
    const response = await visitor.post(`/services/${serviceId}/call-back`, { phone: PHONE, safeTimes: ['weekday-morning', 'weekend'], safeTimesDetail: 'not Fridays', leaveMessage: 'no', safeWord: SAFE_WORD, name: 'Sam', notes: 'Needs an interpreter' });
    expect(response.statusCode).toBe(303);
    expect(response.headers['location']).toBe('/services/request-sent');
    const confirmation = await visitor.get('/services/request-sent');
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.headers['cache-control']).toBe('no-store');
    expect(confirmation.body).toContain('Request sent');
    for (const secret of [PHONE, '07700900123', SAFE_WORD, serviceName, 'Margate', 'call back', 'call-back']) expect(confirmation.body).not.toContain(secret);

    const row = await platform.services.db.kysely.selectFrom('directory_callback_requests').selectAll().executeTakeFirstOrThrow();
    // Every encrypted column holds ciphertext; no other column holds what was typed. (Ciphertext and the submission's
    // keyed hash are left out of the search: random base64 can spell "Sam" by chance.)
    const encrypted = Object.entries(row).filter(([column]) => column.endsWith('_enc'));
    for (const [column, value] of encrypted) if (value !== null) expect(value, column).toMatch(/^e1:/);
    const raw = JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !column.endsWith('_enc') && column !== 'submission_hash')));
    for (const secret of ['07700', SAFE_WORD, 'Sam', 'interpreter', 'Fridays']) expect(raw).not.toContain(secret);
    expect(row.phone_enc).toMatch(/^e1:/);
    expect(row).toMatchObject({ service_id: serviceId, status: 'new', leave_message: 'no' });

    const audit = await platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', 'CALLBACK_REQUESTED').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('07700');
    expect(audit[0]?.ip).toBeNull();
    expect(await countRows('outbox_messages')).toBe(outboxBefore);
  });

  it('is not offered for a service that does not accept call-backs', async () => {
    const published = await platform.services.directory.published.current();
    const other = published.services.find((candidate) => !candidate.acceptsCallbacks);
    expect((await platform.app.inject({ method: 'GET', url: `/services/${other?.id ?? ''}/call-back` })).statusCode).toBe(404);
    expect((await platform.app.inject({ method: 'GET', url: `/services/${other?.id ?? ''}` })).body).not.toContain('/call-back');
  });

  it('arrives in the receiving service’s inbox, where opening and updating it are audited', async () => {
    const manager = await signIn(platform, 'service@demo.invalid');
    const inbox = await manager.get('/app/call-backs');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(serviceName);
    expect(inbox.body).not.toContain('07700');
    const id = /href="\/app\/call-backs\/([0-9a-f-]+)"/.exec(inbox.body)?.[1] ?? '';
    expect(id).not.toBe('');
    const listed = await platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', 'CALLBACK_LIST_VIEWED').execute();
    expect(listed.at(-1)?.details).toMatch(/"count":[1-9]/);
    const opened = await manager.get(`/app/call-backs/${id}`);
    for (const text of [PHONE, SAFE_WORD, 'Sam', 'Needs an interpreter', 'Weekday mornings (9am to 12pm), Weekends', 'not Fridays', 'Do not leave a message.']) expect(opened.body).toContain(text);
    const views = await platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', 'CALLBACK_VIEWED').where('record_id', '=', id).execute();
    expect(views).toHaveLength(1);

    for (const body of [{ version: '1' }, { version: '1', status: 'garbage' }, { version: '1', status: ['called', 'closed'] }] as Array<Record<string, string | string[]>>) {
      const refused = await manager.post(`/app/call-backs/${id}`, body);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('href="#status">Choose what has happened</a>');
      expect(refused.body).toContain(PHONE);
    }
    expect((await manager.post(`/app/call-backs/01890000-0000-7000-8000-000000000000`, { version: '1', status: 'called' })).statusCode).toBe(404);
    const called = await manager.post(`/app/call-backs/${id}`, { version: '1', status: 'called' });
    expect(called.headers['location']).toBe('/app/call-backs?notice=updated');
    const stale = await manager.post(`/app/call-backs/${id}`, { version: '1', status: 'closed' });
    expect(stale.statusCode).toBe(409);
    await manager.get(`/app/call-backs/${id}`);
    await manager.post(`/app/call-backs/${id}`, { version: '2', status: 'closed' });
    expect((await manager.get('/app/call-backs')).body).not.toContain(serviceName);
    expect((await manager.get('/app/call-backs?status=closed')).body).toContain(serviceName);
  });

  it('is never shown to anyone outside the receiving organisation', async () => {
    const { services } = platform;
    const [request] = await services.db.kysely.selectFrom('directory_callback_requests').select('id').execute();
    const police = await services.reference.getOrganisationBySlug('kent-police');
    const outsider: Actor = { userId: (await services.users.findByEmail('practitioner@demo.invalid'))?.id ?? '', organisationId: police?.id ?? '', roles: ['service_manager'] };
    expect(await services.directory.callbacks.inbox(outsider, 'open', ORIGIN)).toEqual([]);
    await expect(services.directory.callbacks.view(outsider, request?.id ?? '', ORIGIN)).rejects.toMatchObject({ statusCode: 404 });
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/call-backs')).statusCode).toBe(403);
    expect((await practitioner.get(`/app/call-backs/${request?.id ?? ''}`)).statusCode).toBe(403);
  });

  it('stays with the organisation that received it when an editor links the service’s organisation to another partner', async () => {
    const { services } = platform;
    const request = await services.db.kysely.selectFrom('directory_callback_requests').selectAll().executeTakeFirstOrThrow();
    const police = await services.reference.getOrganisationBySlug('kent-police');
    const editor = await services.users.findByEmail('editor@demo.invalid');
    const editorActor: Actor = { userId: editor?.id ?? '', organisationId: editor?.organisationId ?? '', roles: editor?.roles ?? [] };
    const service = await services.db.kysely.selectFrom('directory_services').select('organisation_id').where('id', '=', serviceId).executeTakeFirstOrThrow();
    const organisation = await services.directory.records.getOrganisation(service.organisation_id);
    if (!organisation) throw new Error('The service has no directory organisation.');
    const input = { name: organisation.name, description: organisation.description, email: organisation.email, website: organisation.website };
    await services.directory.records.updateOrganisation(editorActor, organisation.id, organisation.version, { ...input, partnerOrganisationId: police?.id ?? null }, ORIGIN);

    const newPartner: Actor = { userId: editor?.id ?? '', organisationId: police?.id ?? '', roles: ['service_manager'] };
    expect(await services.directory.callbacks.inbox(newPartner, 'open', ORIGIN)).toEqual([]);
    await expect(services.directory.callbacks.view(newPartner, request.id, ORIGIN)).rejects.toMatchObject({ statusCode: 404 });
    await expect(services.directory.callbacks.setStatus(newPartner, request.id, request.version, 'closed', ORIGIN)).rejects.toMatchObject({ statusCode: 404 });
    const refusals = await services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', 'CALLBACK_ACCESS_REFUSED').where('record_id', '=', request.id).where('actor_user_id', '=', editor?.id ?? '').execute();
    expect(refusals.map((event) => [event.outcome, event.actor_organisation_id])).toEqual([
      ['denied', police?.id],
      ['denied', police?.id],
    ]);
    const manager = await signIn(platform, 'service@demo.invalid');
    expect((await manager.get(`/app/call-backs/${request.id}`)).body).toContain(PHONE);

    // With no partner linked at all, nobody could receive a request: the person is told so, keeps what they typed,
    // and nothing is stored.
    const linkTo = async (partnerOrganisationId: string | null) => {
      const current = await services.directory.records.getOrganisation(organisation.id);
      await services.directory.records.updateOrganisation(editorActor, organisation.id, current?.version ?? 0, { ...input, partnerOrganisationId }, ORIGIN);
    };
    await linkTo(null);
    try {
      const before = await countRows('directory_callback_requests');
      const visitor = await atForm('?lang=pl');
      const refused = await visitor.post(`/services/${serviceId}/call-back?lang=pl`, { phone: PHONE, safeTimes: ['weekend'], leaveMessage: 'no' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Ta usługa nie może teraz przyjmować próśb o oddzwonienie');
      expect(refused.body).toContain(`value="${PHONE}"`);
      expect(await countRows('directory_callback_requests')).toBe(before);
    } finally {
      await linkTo(organisation.partner_organisation_id);
    }
  });

  it('deletes requests once they are no longer needed', async () => {
    const { services } = platform;
    const visitor = await atForm();
    await visitor.post(`/services/${serviceId}/call-back`, { phone: PHONE, safeTimes: 'weekend', leaveMessage: 'yes' });
    const day = 24 * 60 * 60 * 1000;
    const rows = await services.db.kysely.selectFrom('directory_callback_requests').select(['id', 'status']).orderBy('created_at').execute();
    const [closed, fresh] = rows;
    await services.db.kysely.updateTable('directory_callback_requests').set({ updated_at: new Date(Date.now() - 31 * day).toISOString() }).where('id', '=', closed?.id ?? '').execute();
    expect(closed?.status).toBe('closed');
    expect(await services.directory.callbacks.deleteExpired()).toBe(1);
    const left = await services.db.kysely.selectFrom('directory_callback_requests').select('id').execute();
    expect(left.map((row) => row.id)).toEqual([fresh?.id]);
    await services.db.kysely.updateTable('directory_callback_requests').set({ created_at: new Date(Date.now() - 91 * day).toISOString() }).execute();
    expect(await services.directory.callbacks.deleteExpired()).toBe(1);
  });

  it('once sent, a resubmission from the browser’s history (Back after a first try with a mistake) is refused and shows nothing typed', async () => {
    const before = await countRows('directory_callback_requests');
    const visitor = await atForm();
    const typed = { phone: PHONE, safeTimes: 'weekend', leaveMessage: 'no', safeWord: SAFE_WORD };
    expect((await visitor.post(`/services/${serviceId}/call-back`, { ...typed, leaveMessage: '' })).statusCode).toBe(400);
    const sent = await visitor.post(`/services/${serviceId}/call-back`, typed);
    expect(sent.statusCode).toBe(303);
    expect(String(sent.headers['set-cookie'])).toMatch(/^form_token=;.*Expires=Thu, 01 Jan 1970/);
    const resent = await visitor.post(`/services/${serviceId}/call-back`, typed);
    expect(resent.statusCode).toBe(403);
    for (const secret of [PHONE, SAFE_WORD]) expect(resent.body).not.toContain(secret);
    expect(await countRows('directory_callback_requests')).toBe(before + 1);
  });

  it('sent twice at once (a second press on a slow connection), or again by a browser that kept its form cookie, makes one request', async () => {
    const requested = () => platform.services.db.kysely.selectFrom('audit_events').select('id').where('action', '=', 'CALLBACK_REQUESTED').execute();
    const before = await countRows('directory_callback_requests');
    const auditedBefore = (await requested()).length;
    const visitor = await atForm();
    const typed = { phone: PHONE, safeTimes: 'weekend', leaveMessage: 'no' };
    const cookie = `form_token=${visitor.cookie('form_token') ?? ''}`;
    const token = visitor.lastCsrf;
    const answers = await Promise.all([visitor.post(`/services/${serviceId}/call-back`, typed), visitor.post(`/services/${serviceId}/call-back`, typed)]);
    for (const answer of answers) expect([answer.statusCode, answer.headers['location']]).toEqual([303, '/services/request-sent']);
    const retried = await platform.app.inject({
      method: 'POST',
      url: `/services/${serviceId}/call-back`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...typed, _csrf: token }).toString(),
    });
    expect([retried.statusCode, retried.headers['location']]).toEqual([303, '/services/request-sent']);
    expect(await countRows('directory_callback_requests')).toBe(before + 1);
    expect((await requested()).length).toBe(auditedBefore + 1);
    // Corrected and sent again (the first answer never arrived): the correction is a request of its own, not dropped.
    const corrected = await platform.app.inject({
      method: 'POST',
      url: `/services/${serviceId}/call-back`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...typed, phone: '07700 900 124', _csrf: token }).toString(),
    });
    expect(corrected.statusCode).toBe(303);
    expect(await countRows('directory_callback_requests')).toBe(before + 2);
  });

  it('a failed try left in the browser’s history cannot be sent again to show what was typed', async () => {
    const visitor = await atForm();
    const firstToken = visitor.lastCsrf;
    const typed = { phone: PHONE, safeTimes: 'weekend', leaveMessage: '', safeWord: SAFE_WORD, notes: 'He checks my phone at six' };
    const mistake = await visitor.post(`/services/${serviceId}/call-back`, typed);
    expect(mistake.statusCode).toBe(400);
    expect(mistake.body).toContain(`value="${SAFE_WORD}"`);
    // Exit, then Back and "resend": the browser sends that try again, with its token, and the cookie it now holds.
    const fromHistory = await visitor.post(`/services/${serviceId}/call-back`, typed, { csrf: firstToken });
    expect(fromHistory.statusCode).toBe(403);
    for (const secret of [PHONE, SAFE_WORD, 'He checks my phone']) expect(fromHistory.body).not.toContain(secret);
    // The page shown with the mistake carries a token that works: the person can correct it and send.
    const corrected = await visitor.post(`/services/${serviceId}/call-back`, { ...typed, leaveMessage: 'no' });
    expect(corrected.statusCode).toBe(303);
  });

  // Last in this file: it uses up this address's allowance for the form.
  it('past the limit for one address, shows the form again with what was typed, and stores nothing', async () => {
    const before = await countRows('directory_callback_requests');
    const visitor = await atForm();
    let status = 400;
    for (let attempt = 0; attempt < 40 && status === 400; attempt += 1) {
      status = (await visitor.post(`/services/${serviceId}/call-back`, { phone: 'not yet' })).statusCode;
    }
    expect(status).toBe(429);
    const typed = { phone: PHONE, safeTimes: 'weekend', leaveMessage: 'no', safeWord: SAFE_WORD, notes: 'Needs an interpreter' };
    const refused = await visitor.post(`/services/${serviceId}/call-back`, typed);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('<a href="#send-request">This form has been sent too many times from your connection. Wait 10 minutes, then send it again. What you typed is still here.</a>');
    expect(refused.body).toContain(`value="${PHONE}"`);
    expect(refused.body).toContain(`value="${SAFE_WORD}"`);
    expect(refused.body).toMatch(/value="weekend" checked/);
    expect(refused.body).toContain('Needs an interpreter</textarea>');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(await countRows('directory_callback_requests')).toBe(before);
  });
});
