import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn } from '../../../../test/support/visitor.js';
import { sendReferral } from '../inbox/testing.js';
import { monthLabel, monthOf } from './periods.js';

describe('referral reports', () => {
  let platform: TestPlatform;
  const month = monthOf(new Date());
  beforeAll(async () => {
    platform = await createTestPlatform();
    // With the demo's one referral in each, Dartford has 6 this month (enough to publish) and Maidstone 2. (Had
    // every other district exactly 1, the total would give them all away and Dartford would be hidden as cover.)
    for (let index = 0; index < 5; index += 1) await sendReferral(platform, { district: 'dartford', yes: 4, name: `Report${String(index)}` });
    await sendReferral(platform, { district: 'maidstone', yes: 2, name: 'Reportmaidstone' });
    const routes = await platform.services.db.kysely.selectFrom('referral_routes').innerJoin('referrals', 'referrals.id', 'referral_routes.referral_id').select(['referral_routes.id', 'referral_routes.created_at']).where('referrals.district', '=', 'dartford').where('referral_routes.kind', '=', 'outreach').execute();
    for (const route of routes) {
      // First contact three hours after each route arrived: within the target.
      const contact = new Date(Date.parse(route.created_at) + 3 * 3_600_000).toISOString();
      await platform.services.db.kysely.updateTable('referral_routes').set({ first_contact_at: contact, status: 'in_contact' }).where('id', '=', route.id).execute();
    }
  });
  afterAll(() => platform.close());

  function rowOf(html: string, tableId: string, label: string): string {
    const table = html.slice(html.indexOf(`id="${tableId}"`), html.indexOf('</table>', html.indexOf(`id="${tableId}"`)));
    const start = table.indexOf(`>${label}</th>`);
    return table.slice(start, table.indexOf('</tr>', start));
  }

  it('counts by district, risk, route, agency and first contact this month, suppressing small numbers on the page', async () => {
    const officer = await signIn(platform, 'officer@demo.invalid');
    const page = await officer.get('/app/reports/referrals');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(monthLabel(month));
    expect(rowOf(page.body, 'district', 'Dartford')).toContain('>6</td>');
    expect(rowOf(page.body, 'district', 'Maidstone')).toContain('fewer than 5');
    expect(rowOf(page.body, 'agency', 'Kent Police')).toContain('>12</td>');
    expect(rowOf(page.body, 'first-contact', 'Contacted within target')).toContain('>5</td>');
    expect(page.body).toContain('3 hours');
    expect(page.body).not.toMatch(/numeric">(<strong>)?[1-4](<\/strong>)?<\/td>/);
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select(['action']).where('action', '=', 'REFERRAL_REPORT_VIEWED').execute();
    expect(audit).toHaveLength(1);
  });

  it('downloads the same published figures as CSV, with no count from 1 to 4, and records the download', async () => {
    const manager = await signIn(platform, 'service@demo.invalid');
    const response = await manager.get(`/app/reports/referrals/export.csv?from=${month}&to=${month}&by=month`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain(`referrals-${month}-to-${month}-by-month.csv`);
    const rows = parse<Record<string, string>>(response.body, { columns: true, bom: true });
    expect(rows.find((row) => row['table'] === 'district' && row['category'] === 'Dartford' && row['period'] === monthLabel(month))?.['value']).toBe('6');
    expect(rows.find((row) => row['table'] === 'district' && row['category'] === 'Maidstone' && row['period'] === monthLabel(month))?.['value']).toBe('<5');
    for (const row of rows.filter((candidate) => candidate['table'] !== 'median-hours-to-first-contact')) expect(row['value']).toMatch(/^(0|[5-9]|\d{2,}|<5|\[c\])$/);
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'REFERRAL_REPORT_EXPORTED').execute();
    expect(audit).toHaveLength(1);
  });

  it('counts by quarter over whole quarters', async () => {
    const officer = await signIn(platform, 'officer@demo.invalid');
    const page = await officer.get(`/app/reports/referrals?from=${month}&to=${month}&by=quarter`);
    expect(page.statusCode).toBe(200);
    const quarterStart = `${month.slice(0, 4)}-${String(Math.floor((Number(month.slice(5)) - 1) / 3) * 3 + 1).padStart(2, '0')}`;
    expect(page.body).toContain(`${monthLabel(quarterStart).slice(0, 3)} to `);
    expect(rowOf(page.body, 'district', 'Dartford')).toContain('>6</td>');
  });

  it('reads codes only: building a report decrypts nothing', async () => {
    const officer = await platform.services.users.findByEmail('officer@demo.invalid');
    if (!officer) throw new Error('no officer');
    const decrypt = vi.spyOn(platform.services.crypto, 'decrypt');
    const decryptOptional = vi.spyOn(platform.services.crypto, 'decryptOptional');
    await platform.services.referralReports.report({ userId: officer.id, organisationId: officer.organisationId, roles: officer.roles }, { from: month, to: month, by: 'month' }, { ip: '127.0.0.1', requestId: 'test' });
    expect(decrypt).not.toHaveBeenCalled();
    expect(decryptOptional).not.toHaveBeenCalled();
    decrypt.mockRestore();
    decryptOptional.mockRestore();
  });

  it('explains a period that does not make sense, and refuses people without reports access', async () => {
    const officer = await signIn(platform, 'officer@demo.invalid');
    const backwards = await officer.get('/app/reports/referrals?from=2026-08&to=2026-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('href="#from">The first month must be the same as or before the last month');
    const long = await officer.get('/app/reports/referrals?from=2024-01&to=2025-12&by=month');
    expect(long.body).toContain('Count by quarter for a period longer than 12 months');
    const nonsense = await officer.get('/app/reports/referrals?from=%3Cx%3E&to=2026-13');
    expect(nonsense.statusCode).toBe(400);
    expect((await officer.get('/app/reports/referrals/export.csv?from=2026-08&to=2026-01')).statusCode).toBe(400);
    for (const query of ['from=', 'from=0', 'to=abc', 'to=9999-12', 'from=&to=']) {
      const page = await officer.get(`/app/reports/referrals?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body, query).toContain('govuk-error-summary');
      expect((await officer.get(`/app/reports/referrals/export.csv?${query}`)).statusCode, query).toBe(400);
    }
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/reports/referrals')).statusCode).toBe(403);
    expect((await practitioner.get(`/app/reports/referrals/export.csv?from=${month}&to=${month}`)).statusCode).toBe(403);
  });
});
