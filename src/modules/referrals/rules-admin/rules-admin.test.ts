import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../../test/support/visitor.js';
import { sendReferral } from '../inbox/testing.js';
import { valuesOf } from './form.js';

describe('the routing rules editor', () => {
  let platform: TestPlatform;
  let officer: Visitor;
  let borderline: string;
  beforeAll(async () => {
    platform = await createTestPlatform();
    officer = await signIn(platform, 'officer@demo.invalid');
    // 12 "yes": medium risk and below Kent's MARAC threshold of 14; a threshold of 10 would send it to MARAC.
    borderline = await sendReferral(platform, { district: 'dartford', yes: 12, name: 'Rulespreview' });
  });
  afterAll(() => platform.close());

  const kent = async () => (await platform.services.routingRules.active()).find((ruleSet) => ruleSet.maracArea === 'kent');
  const referenceOf = async (id: string) => (await platform.services.db.kysely.selectFrom('referrals').select(['reference', 'rule_set_version']).where('id', '=', id).executeTakeFirstOrThrow());
  async function formWith(changes: Record<string, string>, basedOn = '1') {
    const current = await kent();
    if (!current) throw new Error('no Kent rules');
    const form: Record<string, string> = { basedOn };
    for (const [key, value] of Object.entries({ ...valuesOf(current.rules), ...changes })) if (value !== undefined) form[key] = value;
    return form;
  }

  it('shows each MARAC area’s rules in use and its history, to partnership officers only', async () => {
    const overview = await officer.get('/app/routing-rules');
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('href="/app/routing-rules/kent"');
    expect(overview.body).toContain('href="/app/routing-rules/medway"');
    const area = await officer.get('/app/routing-rules/kent');
    expect(area.body).toContain('14 or more “yes” answers');
    expect(area.body).toContain('Used, with written reasons; a “yes” to question 2, 13, 15, 17 (standalone indicators) is pointed out to a referrer who did not use it');
    expect(area.body).toContain('First version, loaded from seed/routing-rules.json.');
    for (const email of ['practitioner@demo.invalid', 'service@demo.invalid', 'admin@demo.invalid']) {
      expect((await (await signIn(platform, email)).get('/app/routing-rules/kent')).statusCode).toBe(403);
    }
    expect((await officer.get('/app/routing-rules/nowhere')).statusCode).toBe(404);
    expect((await officer.get('/app/routing-rules/kent/versions/99')).statusCode).toBe(404);
    expect((await officer.get('/app/routing-rules/kent/versions/abc/preview')).statusCode).toBe(404);
  });

  it('explains each invalid value and saves nothing', async () => {
    await officer.get('/app/routing-rules/kent/edit');
    const response = await officer.post('/app/routing-rules/kent/edit', await formWith({ 'visibleHighRisk-minimumYes': '0', 'firstContact-high': 'soon', 'area-dartford-idva': 'no-such-organisation', 'repeat-enabled': '' }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#visibleHighRisk-minimumYes">Enter the number of “yes” answers that sends a referral to MARAC, a whole number from 1 to 24');
    expect(response.body).toContain('href="#firstContact-high">Enter the working days to first contact for high risk, a whole number from 1 to 30');
    expect(response.body).toContain('href="#area-dartford-idva">Select the organisation for the IDVA service in Dartford');
    expect(response.body).toContain('href="#repeat-enabled">Select whether this criterion is used');
    const window = await officer.post('/app/routing-rules/kent/edit', await formWith({ 'suicideSelfHarm-currentAbuseWithinMonths': '0' }));
    expect(window.body).toContain('href="#suicideSelfHarm-currentAbuseWithinMonths">Enter the months within which abuse counts as current, a whole number from 1 to 60, or leave it empty');
    const bands = await officer.post('/app/routing-rules/kent/edit', await formWith({ 'riskBands-medium': '15', 'riskBands-high': '12' }));
    expect(bands.body).toContain('href="#riskBands-medium">The medium band must start at or below the high band.');
    const versions = await platform.services.db.kysely.selectFrom('routing_rule_sets').select('version').where('marac_area', '=', 'kent').execute();
    expect(versions).toHaveLength(1);
  });

  it('saves a change as a new draft version without changing the rules in use', async () => {
    await officer.get('/app/routing-rules/kent/edit');
    const form = await formWith({ 'visibleHighRisk-minimumYes': '10', 'firstContact-standard': '2' });
    // As seeded, the local criterion sets no window for current abuse: left empty, it stays so.
    expect(form['suicideSelfHarm-currentAbuseWithinMonths']).toBe('');
    const response = await officer.post('/app/routing-rules/kent/edit', form);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/app/routing-rules/kent/versions/2/preview');
    expect((await kent())?.version).toBe(1);
    const draft = await platform.services.db.kysely.selectFrom('routing_rule_sets').selectAll().where('marac_area', '=', 'kent').where('version', '=', 2).executeTakeFirstOrThrow();
    expect(draft.status).toBe('draft');
    expect(JSON.parse(draft.rules)).toMatchObject({ criteria: { visibleHighRisk: { minimumYes: 10 }, suicideSelfHarm: { currentAbuseWithinMonths: null } }, firstContactWorkingDays: { standard: 2 } });
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select(['record_id']).where('action', '=', 'ROUTING_RULE_SET_CREATED').execute();
    expect(audit.map((event) => event.record_id)).toContain(draft.id);
  });

  it('refuses a change made on a form opened before another version was saved', async () => {
    const stale = await officer.post('/app/routing-rules/kent/edit', await formWith({ 'visibleHighRisk-minimumYes': '9' }, '1'));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone saved or activated another version of these rules');
    expect(await platform.services.db.kysely.selectFrom('routing_rule_sets').select('version').where('marac_area', '=', 'kent').execute()).toHaveLength(2);
  });

  it('previews the draft against the last 90 days in totals only: what would change, never which referral', async () => {
    const preview = await officer.get('/app/routing-rules/kent/versions/2/preview');
    expect(preview.statusCode).toBe(200);
    const { reference } = await referenceOf(borderline);
    expect(preview.body).not.toContain(reference); // which referral changes is case information
    const tableRow = /<tr[^>]*>\s*<th[^>]*>([^<]*)<\/th>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g;
    const rows = [...preview.body.matchAll(tableRow)].map((match) => [match[1] ?? '', ...[...(match[2] ?? '').matchAll(/>([^<]*)<\/td>/g)].map((cell) => cell[1] ?? '')]);
    expect(rows).toContainEqual(['Referrals with a different risk level', '1']);
    expect(rows).toContainEqual(['Medium to High', '1']);
    expect(rows).toContainEqual(['Visible high risk', '1', '0']);
    expect(rows).toContainEqual(['MARAC: Kent and Medway MARAC Hub', '1', '0']);
    expect(preview.body).not.toContain('Rulespreview');
    expect(preview.body).not.toContain('Test Person');
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select(['details']).where('action', '=', 'ROUTING_RULES_PREVIEWED').execute();
    expect(JSON.parse(audit.at(-1)?.details ?? '{}')).toMatchObject({ maracArea: 'kent', version: 2, changed: 1 });
  });

  it('puts the draft into use with a change note: new referrals use it, earlier ones keep their version', async () => {
    await officer.get('/app/routing-rules/kent/versions/2/activate');
    const noNote = await officer.post('/app/routing-rules/kent/versions/2/activate', { changeNote: ' ' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('href="#changeNote">Describe what changed and why');
    expect((await kent())?.version).toBe(1);

    const activated = await officer.post('/app/routing-rules/kent/versions/2/activate', { changeNote: 'Board agreed a threshold of 10 for a trial (synthetic).' });
    expect(activated.headers.location).toBe('/app/routing-rules/kent?notice=activated');
    expect((await kent())?.version).toBe(2);
    const rows = await platform.services.db.kysely.selectFrom('routing_rule_sets').select(['version', 'status', 'change_note']).where('marac_area', '=', 'kent').orderBy('version').execute();
    expect(rows).toEqual([
      { version: 1, status: 'retired', change_note: 'First version, loaded from seed/routing-rules.json.' },
      { version: 2, status: 'active', change_note: 'Board agreed a threshold of 10 for a trial (synthetic).' },
    ]);
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select(['details']).where('action', '=', 'ROUTING_RULE_SET_ACTIVATED').execute();
    expect(JSON.parse(audit.at(-1)?.details ?? '{}')).toMatchObject({ maracArea: 'kent', version: 2, previousVersion: 1 });

    const after = await sendReferral(platform, { district: 'dartford', yes: 12, name: 'Afterchange' });
    const outcome = await platform.services.db.kysely.selectFrom('referrals').select(['rule_set_version', 'marac', 'risk_level']).where('id', '=', after).executeTakeFirstOrThrow();
    expect(outcome).toEqual({ rule_set_version: 2, marac: 1, risk_level: 'high' });
    expect(await referenceOf(borderline)).toMatchObject({ rule_set_version: 1 });
    expect((await officer.get('/app/routing-rules/kent?notice=activated')).body).toContain('Version 2 is now in use for new referrals.');
    // Activating again (a second officer confirming a moment later) changes nothing, and the area page says why.
    const again = await officer.post('/app/routing-rules/kent/versions/2/activate', { changeNote: 'again' });
    expect(again.headers.location).toBe('/app/routing-rules/kent?notice=activated-meanwhile');
    expect((await officer.get(String(again.headers.location))).body).toContain('It had already been activated when you confirmed');
    expect((await officer.get('/app/routing-rules/kent?notice=constructor')).body).not.toContain('govuk-notification-banner');
    expect((await platform.services.db.kysely.selectFrom('routing_rule_sets').select(['change_note']).where('marac_area', '=', 'kent').where('version', '=', 2).executeTakeFirstOrThrow()).change_note).not.toBe('again');
  });
});
