import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamperWithAudit } from '../../../test/support/audit-tamper.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../test/support/visitor.js';

describe('searching the audit trail', () => {
  let platform: TestPlatform;
  let auditor: Visitor;
  let auditorId: string;
  beforeAll(async () => {
    platform = await createTestPlatform();
    auditor = await signIn(platform, 'auditor@demo.invalid');
    auditorId = (await platform.services.users.findByEmail('auditor@demo.invalid'))?.id ?? '';
  });
  afterAll(() => platform.close());

  const latestEvent = (action: string) =>
    platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const today = () => new Date().toISOString().slice(0, 10);

  it('finds events by action, shows their description, and records the search', async () => {
    const page = await auditor.get('/app/audit?action=SIGN_IN_SECOND_FACTOR');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Completed the second factor');
    expect(page.body).toContain('Demo Auditor (synthetic)');
    expect(page.body).not.toContain('Signed in with a password (first factor)</td>');
    const searched = await latestEvent('AUDIT_SEARCHED');
    expect(searched.actor_user_id).toBe(auditorId);
    expect(JSON.parse(searched.details)).toMatchObject({ action: 'SIGN_IN_SECOND_FACTOR', page: 1 });
  });

  it('looks up the person by email, keeps the email out of every address, and records only their account id', async () => {
    await signIn(platform, 'admin@demo.invalid');
    const adminId = (await platform.services.users.findByEmail('admin@demo.invalid'))?.id;
    await auditor.get('/app/audit');
    const sent = await auditor.post('/app/audit', { actor: 'Admin@demo.invalid', from: '', to: '', action: '', organisation: '', recordType: '', recordId: '', outcome: '' });
    expect(sent.statusCode).toBe(303);
    const address = String(sent.headers.location);
    expect(decodeURIComponent(address)).not.toMatch(/admin|demo\.invalid/i);
    const page = await auditor.get(address);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Admin@demo.invalid"');
    const links = [...page.body.matchAll(/href="(\/app\/audit[^"]*)"/g)].map((match) => match[1] ?? '');
    expect(links.some((link) => link.includes('export.csv?actor='))).toBe(true);
    for (const link of links) expect(decodeURIComponent(link)).not.toMatch(/admin@|demo\.invalid/i);
    expect(page.body).toContain('Demo System Admin (synthetic)');
    expect(page.body).not.toContain('Demo Auditor (synthetic)</td>');
    const searched = await latestEvent('AUDIT_SEARCHED');
    expect(searched.details).not.toContain('admin@demo.invalid');
    expect(JSON.parse(searched.details)).toMatchObject({ actorUserId: adminId });
  });

  it('says clearly when the email, the dates or the action are not right', async () => {
    await auditor.get('/app/audit');
    const unknown = await auditor.post('/app/audit', { actor: 'nobody@demo.invalid' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('There is no account with this email address');
    expect(unknown.body).toContain('value="nobody@demo.invalid"');
    const sealed = new URL(String((await auditor.post('/app/audit', { actor: 'admin@demo.invalid' })).headers.location), 'http://x').searchParams.get('actor') ?? '';
    const parts = sealed.split(':');
    parts[4] = `${parts[4]?.startsWith('A') ? 'B' : 'A'}${parts[4]?.slice(1) ?? ''}`; // the first character of the sealed text, changed
    const altered = await auditor.get(`/app/audit?actor=${encodeURIComponent(parts.join(':'))}`);
    expect(altered.statusCode).toBe(400);
    expect(altered.body).toContain('This search address has been changed or has expired');
    const stored = await platform.services.db.kysely.selectFrom('users').select('name_enc').limit(1).executeTakeFirstOrThrow();
    const pasted = await auditor.get(`/app/audit?actor=${encodeURIComponent(stored.name_enc)}`);
    expect(pasted.statusCode).toBe(400); // a stored field's ciphertext is not opened, so the page cannot decrypt it
    expect(pasted.body).toContain('This search address has been changed or has expired');
    const dates = await auditor.get('/app/audit?from=31%2F02%2F2026&to=2026-01-01');
    expect(dates.statusCode).toBe(400);
    expect(dates.body).toContain('The start date must be a real date');
    // A real date the trail cannot hold is a slip of the keyboard, said as one.
    const longAgo = await auditor.get('/app/audit?from=25%2F11%2F1996');
    expect(longAgo.statusCode).toBe(400);
    expect(longAgo.body).toContain('The start date must be between the years 2000 and 2100');
    const order = await auditor.get('/app/audit?from=2026-03-02&to=2026-03-01');
    expect(order.body).toContain('The end date must be the same as or after the start date');
    const action = await auditor.get('/app/audit?action=DROP_TABLES');
    expect(action.body).toContain('Select an action from the list');
  });

  it('refuses a box sent twice rather than searching, or exporting, the whole trail', async () => {
    const twice = await auditor.get('/app/audit?action=SIGN_OUT&action=SIGN_IN_SECOND_FACTOR');
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('Select an action from the list');
    expect(twice.body).not.toContain('<td class="govuk-table__cell">');
    const dates = await auditor.get('/app/audit?from=2026-01-01&from=2025-01-01');
    expect(dates.statusCode).toBe(400);
    expect(dates.body).toContain('The start date must be a real date');
    const records = await auditor.get('/app/audit?recordId=a&recordId=b');
    expect(records.statusCode).toBe(400);
    expect(records.body).toContain('Enter one record identifier');
    const exported = await auditor.get('/app/audit/export.csv?action=SIGN_OUT&action=SIGN_IN_SECOND_FACTOR');
    expect(exported.statusCode).toBe(400);
    expect(exported.headers['content-type']).not.toContain('text/csv');
    await auditor.get('/app/audit');
    const posted = await auditor.post('/app/audit', { action: ['SIGN_OUT', 'SIGN_IN_SECOND_FACTOR'] });
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('Select an action from the list');
  });

  it('finds, by a referral’s id, the lists that showed it as well as the views of the referral itself', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const practitionerId = (await platform.services.users.findByEmail('practitioner@demo.invalid'))?.id ?? '';
    const referral = await platform.services.db.kysely.selectFrom('referrals').select(['id', 'reference']).where('referrer_user_id', '=', practitionerId).limit(1).executeTakeFirstOrThrow();
    expect((await practitioner.get('/app/referrals')).statusCode).toBe(200);
    const page = await auditor.get(`/app/audit?recordId=${referral.id.toUpperCase()}`);
    expect(page.statusCode).toBe(200);
    // The search itself names the id but is no read of it: asking again finds the same events.
    const total = (body: string) => /(\d+) events? match/.exec(body)?.[1];
    expect(total((await auditor.get(`/app/audit?recordId=${referral.id}`)).body)).toBe(total(page.body));
    expect((await auditor.get(`/app/audit?recordType=referral&recordId=${referral.id}`)).body).toContain('REFERRAL_LIST_VIEWED</span>');
    expect(page.body).toContain('Viewed a list of referrals<br><span class="govuk-body-s app-reference">REFERRAL_LIST_VIEWED</span>');
    // The reference people read and quote finds the same events as the id, typed in any case.
    const byReference = await auditor.get(`/app/audit?recordId=${referral.reference.toLowerCase()}`);
    expect(byReference.statusCode).toBe(200);
    expect(total(byReference.body)).toBe(total(page.body));
    const other = await auditor.get('/app/audit?recordId=01890000-0000-7000-8000-000000000000');
    expect(other.body).not.toContain('REFERRAL_LIST_VIEWED</span>');
  });

  it('narrows by UK calendar day', async () => {
    const [year, month, day] = today().split('-');
    const todays = await auditor.get(`/app/audit?from=${day ?? ''}%2F${month ?? ''}%2F${year ?? ''}&to=${today()}&outcome=success`);
    expect(todays.statusCode).toBe(200);
    expect(todays.body).not.toMatch(/>0 events match/);
    const future = await auditor.get('/app/audit?from=2099-01-01');
    expect(future.body).toMatch(/>0 events match</);
  });

  it('exports the same search as CSV, neutralising spreadsheet formulas, and records the export', async () => {
    const organisation = await platform.services.reference.getOrganisationBySlug('kent-police');
    const trickyId = await platform.services.users.createActive(
      { organisationId: organisation?.id ?? '', email: 'formula@demo.invalid', name: '=HYPERLINK("http://example.invalid")', roles: ['practitioner'] },
      'a long synthetic passphrase',
    );
    await platform.services.audit.record({ action: 'SIGN_OUT', actorUserId: trickyId, actorOrganisationId: organisation?.id });
    const semicolonId = await platform.services.users.createActive({ organisationId: organisation?.id ?? '', email: 'formula2@demo.invalid', name: 'Prac Three;=SUM(2+3)', roles: ['practitioner'] }, 'a long synthetic passphrase');
    await platform.services.audit.record({ action: 'SIGN_OUT', actorUserId: semicolonId, actorOrganisationId: organisation?.id });

    const expected = await platform.services.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('action', '=', 'SIGN_OUT')
      .executeTakeFirstOrThrow();
    const response = await auditor.get('/app/audit/export.csv?action=SIGN_OUT');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-[\d-T]+\.csv"$/);
    const rows: Array<Record<string, string>> = parse(response.body, { columns: true, bom: true });
    expect(rows).toHaveLength(Number(expected.count));
    expect(rows.every((row) => row['action'] === 'SIGN_OUT')).toBe(true);
    const tricky = rows.find((row) => row['actor_user_id'] === trickyId);
    expect(tricky?.['actor_name']).toBe(`'=HYPERLINK("http://example.invalid")`);
    // Quoted, so a spreadsheet splitting on semicolons keeps it one cell starting "Prac", not a cell "=SUM(2+3)".
    expect(response.body).toContain('"Prac Three;=SUM(2+3)"');

    const exported = await latestEvent('AUDIT_EXPORTED');
    expect(exported.actor_user_id).toBe(auditorId);
    expect(JSON.parse(exported.details)).toMatchObject({ action: 'SIGN_OUT', rows: Number(expected.count) });
  });

  it('pages through results newest first', async () => {
    for (let index = 0; index < 55; index += 1) await platform.services.audit.record({ action: 'SESSION_EXPIRED', recordType: 'paging-test', recordId: String(index) });
    const first = await auditor.get('/app/audit?recordType=paging-test');
    expect(first.body).toContain('55 events match');
    expect(first.body).toContain('paging-test <span class="app-reference">54</span>');
    const upTo = /Up to event (\d+),/.exec(first.body)?.[1] ?? 'missing';
    expect(first.body).toContain(`href="/app/audit?recordType=paging-test&amp;page=2&amp;upTo=${upTo}"`);
    // Events recorded while the auditor reads page 1 do not push its last event onto page 2, nor into the export.
    for (let index = 55; index < 60; index += 1) await platform.services.audit.record({ action: 'SESSION_EXPIRED', recordType: 'paging-test', recordId: String(index) });
    const second = await auditor.get(`/app/audit?recordType=paging-test&page=2&upTo=${upTo}`);
    expect(second.body).toContain('55 events match');
    expect(second.body).toContain('paging-test <span class="app-reference">0</span>');
    expect(second.body).toContain('paging-test <span class="app-reference">4</span>');
    expect(second.body).not.toContain('paging-test <span class="app-reference">5</span>');
    const exported = await auditor.get(`/app/audit/export.csv?recordType=paging-test&upTo=${upTo}`);
    expect(parse(exported.body, { columns: true, bom: true })).toHaveLength(55);
    for (const fresh of ['', '&upTo=', '&upTo=0', '&upTo=abc']) expect((await auditor.get(`/app/audit?recordType=paging-test${fresh}`)).body, fresh).toContain('60 events match');
    // Each page has its own title, so a browser's history and a screen reader tell them apart.
    expect(first.body).toContain('<title>Audit trail, page 1 of 2 –');
    expect(second.body).toContain('<title>Audit trail, page 2 of 2 –');
  });

  it('is only for auditors', async () => {
    const admin = await signIn(platform, 'admin@demo.invalid');
    expect((await admin.get('/app/audit')).statusCode).toBe(403);
    expect((await admin.get('/app/audit/export.csv')).statusCode).toBe(403);
  });

  it('reports the chain as verified, and names an event edited afterwards', async () => {
    const intact = await auditor.get('/app/audit/integrity');
    expect(intact.statusCode).toBe(200);
    expect(intact.body).toMatch(/Verified: [\d,]+ events, no gaps/);
    const victim = await latestEvent('SIGN_IN_PASSWORD');
    await tamperWithAudit(platform.services.db, () => platform.services.db.kysely.updateTable('audit_events').set({ outcome: 'failure' }).where('seq', '=', victim.seq).execute());
    const tampered = await auditor.get('/app/audit/integrity');
    expect(tampered.body).toContain('The audit trail has been tampered with');
    expect(tampered.body).toContain(`Event ${String(victim.seq)} has been edited since it was written.`);
  });
});
