import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { idleFor31Minutes as idleFor31MinutesOn, signIn, signInOn } from '../../../../test/support/visitor.js';
import { errorText, fillReferral, formAnswers, sendDraft } from '../test-support/journey.js';

describe('referral form', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  /** As if the person had left their sessions alone for 31 minutes: past the 30-minute idle limit. */
  const idleFor31Minutes = (email: string) => idleFor31MinutesOn(platform, email);

  const refusalsOf = (draftId: string) =>
    platform.services.db.kysely.selectFrom('audit_events').select(['actor_user_id', 'outcome']).where('action', '=', 'REFERRAL_ACCESS_REFUSED').where('record_id', '=', draftId).execute();

  it('takes a practitioner from the first page to a confirmation that explains the criteria and the routes', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ yes: 14, household: { childrenInHousehold: 'yes', 'children-0-name': 'Test Child November', otherDependants: 'no' } }));
    const check = await visitor.get(`${draft}/check`);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check your answers before sending the referral');
    expect(check.body).toContain('Test Child November');
    expect(check.body).toContain(`href="${draft}/person?change=1"`);
    // Before sending, where it would go and why, as the confirmation will say; nothing is sent by looking.
    expect(check.body).toContain('What happens when you send it');
    expect(check.body).toContain('14 questions were answered “yes”');
    expect(check.body).toContain('Where the referral will go, and why');
    expect(check.body).toContain('Children live in the household, so the children’s safeguarding front door for Thanet is told.');
    expect(check.body).not.toContain('Waiting to be accepted');
    const draftId = draft.split('/').at(-1) ?? '';
    expect(await platform.services.db.kysely.selectFrom('referrals').select('id').where('source_draft_id', '=', draftId).execute()).toEqual([]);
    expect(await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', draftId).where('action', '=', 'REFERRAL_ROUTING_PREVIEWED').execute()).toHaveLength(1);
    const sent = await visitor.post(`${draft}/check`, {});
    expect(sent.statusCode).toBe(303);
    const confirmation = await visitor.get(String(sent.headers.location));
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('Referral sent');
    expect(confirmation.body).toContain('Visible high risk');
    expect(confirmation.body).toContain('14 questions were answered “yes”');
    expect(confirmation.body).toContain('High: a MARAC criterion is met, so the risk is high whatever the score');
    expect(confirmation.body).toContain('Kent and Medway MARAC Hub');
    expect(confirmation.body).toContain('Demo East Kent Domestic Abuse Service (synthetic)');
    expect(confirmation.body).toContain('Kent County Council');
    expect(confirmation.body).toContain('Children live in the household, so the children’s safeguarding front door for Thanet is told.');
    // The draft is gone once sent.
    expect((await visitor.get(`${draft}/check`)).statusCode).toBe(404);
  });

  it('points out, before sending, no safe way to reach the person and sharing without consent below high risk', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ yes: 6, person: { lastName: 'Form-Caution', postcode: 'ME4 4TR' }, 'safe-contact': { safeToContact: 'no', mayLeaveMessage: 'no' }, consent: { status: 'not_asked', lawfulBasis: 'risk_of_serious_harm' } }));
    const check = (await visitor.get(`${draft}/check`)).body;
    expect(check).toContain('You have said it is not safe to contact them, and gave no safe phone number or email address');
    expect(check).toContain('the risk is standard, not high. Sharing without consent to protect someone from serious harm needs that risk to be real');
    expect(check).toContain('The postcode ME4 is listed in Medway, not Thanet, the district you chose');
    expect(check).toContain('Send referral');
  });

  it('explains to the referrer why a person under 16 at high risk goes to children’s safeguarding rather than MARAC', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const born = String(new Date().getUTCFullYear() - 15);
    const draft = await fillReferral(visitor, formAnswers({ yes: 14, person: { lastName: 'Form-Young', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': born } }));
    const sent = await visitor.post(`${draft}/check`, {});
    const confirmation = (await visitor.get(String(sent.headers.location))).body;
    expect(confirmation).toContain('This referral meets one MARAC criterion, so the risk is high, but the routing rules do not send it to MARAC');
    expect(confirmation).toContain('The person at risk is under 16. The domestic abuse definition and MARAC are for people aged 16 and over, so the children’s safeguarding front door for Thanet leads on their safety');
    expect(confirmation).not.toContain('Kent and Medway MARAC Hub');
  });

  it('keeps what is typed about other people out of the browser’s form history (names, phones, dates of birth)', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    await visitor.get('/app/referrals/new');
    const started = await visitor.post('/app/referrals/new', {});
    const page = await visitor.get(String(started.headers.location));
    const inputs = page.body.match(/<input[^>]*class="govuk-input[^"]*"[^>]*>/g) ?? [];
    expect(inputs.length).toBeGreaterThan(5);
    for (const input of inputs) expect(input, input).toContain('autocomplete="off"');
  });

  it('offers the person’s own phone number for safe contact with one press, without copying it unasked or saving anything', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ 'safe-contact': { safeToContact: 'yes', times: 'Mornings', mayLeaveMessage: 'no' } }));
    const page = await visitor.get(`${draft}/safe-contact`);
    expect(page.body).toMatch(/id="phone" name="phone" type="tel"(?![^>]*value="07700)/);
    expect(page.body).toContain('The phone number on ‘The person at risk’ is <span class="govuk-!-font-weight-bold">07700 900321</span>. Use it only if it is safe.');
    // The page comes back at the box it filled, which takes focus, not at the top of the page.
    expect(page.body).toMatch(/<button value="phone" type="submit" name="useEarlier"[^>]*\sformaction="#phone">/);
    const used = await visitor.post(`${draft}/safe-contact`, { safeToContact: 'yes', phone: '', times: 'Weekday evenings', mayLeaveMessage: 'no', useEarlier: 'phone' });
    expect(used.statusCode).toBe(200);
    expect(used.body).toMatch(/name="phone" type="tel"[^>]*value="07700 900321"/);
    expect(used.body).toContain('Weekday evenings'); // what else was typed stays
    expect(used.body).not.toContain('Use this phone number here'); // it is in use now
    const saved = await visitor.get(`${draft}/safe-contact`);
    expect(saved.body).toContain('Mornings'); // nothing saved until the page is saved
  });

  it('offers who gave answers on other checklist pages on each “who gave the answer” box, so the same person is not typed again', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const first = { ...formAnswers()['dash-injuries-and-fear'], 'q1-source': 'Their sister (synthetic)', 'q2-source': 'Their sister (synthetic)' };
    const draft = await fillReferral(visitor, formAnswers({ 'dash-injuries-and-fear': first }));
    const later = await visitor.get(`${draft}/dash-children-and-harassment`);
    expect(later.body.match(/<option value="Their sister \(synthetic\)">/g)).toHaveLength(1);
    expect(later.body).toMatch(/id="q7-source" name="q7-source" type="text"[^>]*list="earlier-sources"/);
    // The page the source was typed on holds it in its own box: nothing to offer there.
    expect((await visitor.get(`${draft}/dash-injuries-and-fear`)).body).not.toContain('earlier-sources');
  });

  it('asks gender once, about the person at risk, and counts that answer for equality monitoring', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ person: { gender: 'woman' }, equality: { ethnicity: 'white_british' } }));
    const equality = await visitor.get(`${draft}/equality`);
    expect(equality.body).not.toContain('name="gender"');
    const tampered = await visitor.post(`${draft}/equality`, { ethnicity: 'not-an-option' });
    expect(tampered.statusCode).toBe(400);
    expect(errorText(tampered)).toBe('Select one of the options, or leave it blank');
    await visitor.get(`${draft}/equality`);
    const sent = await sendDraft(visitor, draft);
    const referralId = String(sent.headers.location).split('/')[3] ?? '';
    const stored = await platform.services.db.kysely.selectFrom('referrals').select(['equality_gender', 'equality_ethnicity']).where('id', '=', referralId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ equality_gender: 'woman', equality_ethnicity: 'white_british' });
  });

  it('records the send in the audit trail, in order: the read of the draft, the referral and each route', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ yes: 15, person: { firstName: 'Test Unique', lastName: 'Audit-Oscar', 'dateOfBirth-year': '1966', phone: '07700 900777', postcode: 'CT9 9ZZ' } }));
    await visitor.get(`${draft}/check`);
    const sent = await visitor.post(`${draft}/check`, {});
    const referralId = String(sent.headers.location).split('/')[3] ?? '';
    const draftId = draft.split('/').at(-1) ?? '';
    const events = await platform.services.db.kysely
      .selectFrom('audit_events')
      .select(['seq', 'action', 'record_id', 'details'])
      .where((eb) => eb.or([eb('record_id', '=', referralId), eb.and([eb('record_id', '=', draftId), eb('details', 'like', '%submit%')])]))
      .orderBy('seq')
      .execute();
    const routes = await platform.services.db.kysely.selectFrom('referral_routes').select('id').where('referral_id', '=', referralId).execute();
    expect(events.map((event) => event.action)).toEqual(['REFERRAL_DRAFT_VIEWED', 'REFERRAL_SUBMITTED', ...routes.map(() => 'REFERRAL_ROUTED')]);
    expect(events.map((event) => event.seq - (events[0]?.seq ?? 0))).toEqual(events.map((_, index) => index));
    expect(await platform.services.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('makes one referral from a draft however often Send is pressed, and shows each press that referral', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ yes: 9, person: { firstName: 'Test Double', lastName: 'Click-Sierra', 'dateOfBirth-year': '1979', postcode: 'CT9 8ZZ' } }));
    const draftId = draft.split('/').at(-1) ?? '';
    const presses = await Promise.all([visitor.post(`${draft}/check`, {}), visitor.post(`${draft}/check`, {})]);
    const later = await visitor.post(`${draft}/check`, {});
    const made = await platform.services.db.kysely.selectFrom('referrals').select('id').where('source_draft_id', '=', draftId).execute();
    expect(made).toHaveLength(1);
    for (const press of [...presses, later]) {
      expect(press.statusCode).toBe(303);
      expect(press.headers.location).toBe(`/app/referrals/${made[0]?.id ?? ''}/sent`);
    }
    // The presses after the first are not refusals: the draft was theirs, and it was sent.
    expect(await refusalsOf(draftId)).toEqual([]);
    const old = await visitor.get(`${draft}/person`);
    expect(old.statusCode).toBe(404);
    expect(old.body).toContain('This draft has been sent');
    const colleague = await signIn(platform, 'service@demo.invalid');
    await colleague.get('/app/referrals');
    expect((await colleague.post(`${draft}/check`, {})).statusCode).toBe(404);
    expect(await refusalsOf(draftId)).toHaveLength(1);
  });

  it('sends a draft while the same draft is being saved in another tab, and neither fails', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    for (const [round, name] of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'].entries()) {
      const person = { firstName: 'Test Tabs', lastName: `Race-${name}`, 'dateOfBirth-year': String(1950 + round), postcode: `CT9 ${String(round + 1)}ZZ` };
      const answers = formAnswers({ yes: 3, person });
      const draft = await fillReferral(visitor, answers);
      await visitor.get(`${draft}/check`);
      const [sent, saved] = await Promise.all([visitor.post(`${draft}/check`, {}), visitor.post(`${draft}/person`, answers['person'] ?? {})]);
      expect(sent.statusCode).toBe(303);
      // Saved before the send, or told the draft was sent (gone, or changed since it was read): never a failure.
      expect([303, 404, 409]).toContain(saved.statusCode);
    }
  });

  it('shows a GOV.UK error summary for each page’s problems and keeps what was typed', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    await visitor.get('/app/referrals/new');
    const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    const person = await visitor.post(`${draft}/person`, { firstName: 'Test Person', lastName: '', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2999', district: 'atlantis' });
    expect(person.statusCode).toBe(400);
    expect(person.body).toContain('govuk-error-summary');
    expect(errorText(person)).toContain('Enter their last name');
    expect(errorText(person)).toContain('Their date of birth must be today or in the past');
    expect(errorText(person)).toContain('Select a district in Kent or Medway');
    expect(person.body).toContain('href="#dateOfBirth-day"');
    expect(person.body).toContain('value="Test Person"');

    const household = await visitor.post(`${draft}/household`, { childrenInHousehold: 'no', 'children-0-name': 'Test Child Oscar', otherDependants: 'no' });
    expect(household.statusCode).toBe(400);
    expect(errorText(household)).toContain('You said no children live in the household, but gave details of a child');
    // A child named here lives in the household, so "not known" contradicts it too: children's safeguarding must be told.
    const notKnown = await visitor.post(`${draft}/household`, { childrenInHousehold: 'not_known', 'children-0-name': 'Test Child Oscar', otherDependants: 'not_known', 'adults-0-name': 'Test Adult Papa' });
    expect(notKnown.statusCode).toBe(400);
    expect(errorText(notKnown)).toContain('You said you do not know whether children live in the household, but gave details of a child who does. Change the answer to “Yes” or remove the child’s details');
    expect(errorText(notKnown)).toContain('You said you do not know whether other adults depend on them, but gave details of one');

    const judgement = await visitor.post(`${draft}/judgement`, { seriousHarmRisk: 'no', suicideSelfHarmRisk: 'no', applies: 'yes', reasons: '  ' });
    expect(judgement.statusCode).toBe(400);
    expect(errorText(judgement)).toContain('Enter your reasons for referring on professional judgement');
    const unanswered = await visitor.post(`${draft}/judgement`, { applies: 'no' });
    expect(unanswered.statusCode).toBe(400);
    expect(errorText(unanswered)).toContain('Select whether they are at high risk of suicide or self-harm because of the abuse');
    expect(errorText(unanswered)).toContain('Select whether they are at high risk of serious harm from the person causing harm');
    // Both problems at once, not the reasons only after the other is fixed.
    const both = await visitor.post(`${draft}/judgement`, { applies: 'yes', reasons: '' });
    expect(errorText(both)).toContain('Select whether they are at high risk of suicide or self-harm because of the abuse');
    expect(errorText(both)).toContain('Enter your reasons for referring on professional judgement');

    const incidents = await visitor.post(`${draft}/incidents`, { 'incidents-0-date-day': '1', 'incidents-0-date-month': '1', 'incidents-0-date-year': '2999' });
    expect(incidents.statusCode).toBe(400);
    expect(errorText(incidents)).toContain('The incident date must be today or in the past');

    const dash = await visitor.post(`${draft}/dash-injuries-and-fear`, { q1: 'yes' });
    expect(dash.statusCode).toBe(400);
    expect(errorText(dash)).toContain('Select yes, no or not known for question 2');
    expect(dash.body).toContain('href="#q2"');
    // Every field on the page has a label of its own: a screen reader's list of fields tells them apart.
    const labels = [...dash.body.matchAll(/<label class="govuk-label"[^>]*>\s*([^<]+?)\s*<\/label>/g)].map((match) => match[1]);
    expect(labels).toContain('Note on question 2 (optional)');
    expect(labels.length).toBeGreaterThan(4);
    expect(new Set(labels).size).toBe(labels.length);

    const consent = await visitor.post(`${draft}/consent`, { status: 'not_given' });
    expect(errorText(consent)).toContain('Select the lawful reason for sharing without consent');
  });

  it('shows only the rows a form can have, however high a row number someone makes up', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    await visitor.get('/app/referrals/new');
    const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    const crafted = await visitor.post(`${draft}/household`, { 'children-20000-name': 'x', 'incidents-5000-date-day': '1' });
    expect(crafted.statusCode).toBe(400);
    expect(crafted.body.match(/id="children-\d+-name"/g) ?? []).toHaveLength(1);
    expect(crafted.body.length).toBeLessThan(200_000);
    await visitor.post(`${draft}/household`, { 'children-20000-name': 'x', later: '1' });
    const again = await visitor.get(`${draft}/household`);
    expect(again.body.match(/id="children-\d+-name"/g) ?? []).toHaveLength(1);
  });

  it('keeps the draft on the server, so after a session times out the practitioner signs in again and resumes it', async () => {
    const start = new Date();
    let now = start;
    const clocked = await createTestPlatform({ clock: () => now });
    try {
      const visitor = await signIn(clocked, 'practitioner@demo.invalid', now);
      await visitor.get('/app/referrals/new');
      const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
      const answers = formAnswers();
      await visitor.post(`${draft}/person`, answers['person'] ?? {});
      await visitor.post(`${draft}/safe-contact`, answers['safe-contact'] ?? {});
      now = new Date(start.getTime() + 31 * 60 * 1000);
      // The page being typed when the session ended is not saved (it is kept for this browser: see the next test);
      // earlier pages are in the draft, wherever the practitioner signs in again.
      const timedOut = await visitor.post(`${draft}/household`, answers['household'] ?? {});
      expect(timedOut.headers.location).toBe('/app/sign-in?ended=1&kept=1');
      expect((await visitor.get('/app/referrals')).statusCode).toBe(303);

      const again = await signIn(clocked, 'practitioner@demo.invalid', now);
      const list = await again.get('/app/referrals');
      expect(list.body).toContain('Test Person Form-Mike');
      const resume = /href="(\/app\/referrals\/drafts\/[^"]+\/household)"/.exec(list.body)?.[1];
      expect(resume).toBe(`${draft}/household`);
      const safeContact = await again.get(`${draft}/safe-contact`);
      expect(safeContact.body).toContain('value="07700 900322"');
    } finally {
      await clocked.close();
    }
  });

  it('keeps a page sent after the session timed out, takes the practitioner back to it after signing in, and shows it once', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const answers = formAnswers({ person: { firstName: 'Test Timeout', lastName: 'Kept-Romeo', postcode: 'CT9 7ZZ' } });
    const draft = await fillReferral(visitor, { person: answers['person'] ?? {} });
    await visitor.get(`${draft}/safe-contact`);
    const typed = { safeToContact: 'yes', phone: '07700 900456', times: 'Only on Tuesday mornings', mayLeaveMessage: 'no' };
    await idleFor31Minutes('practitioner@demo.invalid');

    const timedOut = await visitor.post(`${draft}/safe-contact`, typed);
    expect(timedOut.statusCode).toBe(303);
    expect(timedOut.headers.location).toBe('/app/sign-in?ended=1&kept=1');
    expect(String(timedOut.headers['set-cookie'])).toMatch(/kept_form=[\w-]+;.*HttpOnly/);
    expect((await visitor.get('/app/sign-in?ended=1&kept=1')).body).toContain('What you typed has been kept');
    const stored = await platform.services.db.kysely.selectFrom('kept_forms').select('fields_enc').execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('Tuesday');

    expect(await signInOn(visitor, platform, 'practitioner@demo.invalid')).toBe(`${draft}/safe-contact`);
    const restored = await visitor.get(`${draft}/safe-contact`);
    expect(restored.body).toContain('Your session ended before this page was saved');
    expect(restored.body).toContain('value="07700 900456"');
    expect(restored.body).toContain('Only on Tuesday mornings');
    expect((await visitor.get(`${draft}/safe-contact`)).body).not.toContain('Only on Tuesday mornings');
    expect(await platform.services.db.kysely.selectFrom('kept_forms').select('token_hash').execute()).toEqual([]);
  });

  it('never shows a kept page to someone else who signs in on the same browser, and keeps it for its owner', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, { person: formAnswers({ person: { firstName: 'Test Shared', lastName: 'Browser-Sierra' } })['person'] ?? {} });
    await visitor.get(`${draft}/safe-contact`);
    await idleFor31Minutes('practitioner@demo.invalid');
    expect((await visitor.post(`${draft}/safe-contact`, { safeToContact: 'yes', phone: '07700 900789', times: 'Evenings only, never weekends', mayLeaveMessage: 'no' })).statusCode).toBe(303);
    // A colleague signs in on the same browser: they are not sent to the page, and the kept form stays for its owner.
    expect(await signInOn(visitor, platform, 'service@demo.invalid')).toBe('/app');
    expect(await platform.services.db.kysely.selectFrom('kept_forms').select('path').execute()).toEqual([{ path: `${draft}/safe-contact` }]);
    await visitor.get('/app/account');
    expect((await visitor.post('/app/sign-out', {})).statusCode).toBe(303);
    expect(await signInOn(visitor, platform, 'practitioner@demo.invalid')).toBe(`${draft}/safe-contact`);
    expect((await visitor.get(`${draft}/safe-contact`)).body).toContain('Evenings only, never weekends');
  });

  it('keeps nothing for a form sent without its own token, or on a session that never passed the second factor', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, { person: formAnswers({ person: { firstName: 'Test Forged', lastName: 'Token-Uniform' } })['person'] ?? {} });
    await idleFor31Minutes('practitioner@demo.invalid');
    const forged = await visitor.post(`${draft}/safe-contact`, { safeToContact: 'yes', phone: '07700 900111', times: 'Any', mayLeaveMessage: 'no' }, { csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(401);
    expect(await platform.services.db.kysely.selectFrom('kept_forms').select('path').where('path', 'like', `${draft}%`).execute()).toEqual([]);
  });

  it('keeps what was typed on an unfinished page saved to come back to later, and shows it again', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    // Every page answered, then one changed and saved for later before it was finished.
    const draft = await fillReferral(visitor, formAnswers({ person: { firstName: 'Test Later', lastName: 'Unfinished-Tango', postcode: 'CT9 6ZZ' } }));
    await visitor.get(`${draft}/safe-contact`);
    const later = await visitor.post(`${draft}/safe-contact`, { phone: '07700 900654', times: 'Not before noon', later: '1' });
    expect(later.headers.location).toBe('/app/referrals?saved=1');
    const list = await visitor.get('/app/referrals');
    expect(list.body).toContain(`href="${draft}/safe-contact"`);
    const again = await visitor.get(`${draft}/safe-contact`);
    expect(again.body).toContain('You saved this page to come back to before it was finished');
    expect(again.body).toContain('value="07700 900654"');
    expect(again.body).toContain('Not before noon');
    // Still to be answered before sending, until it passes its checks: the earlier answers are not sent instead.
    expect((await visitor.get(`${draft}/check`)).body).toContain(`href="${draft}/safe-contact"`);
    expect((await visitor.post(`${draft}/check`, {})).statusCode).toBe(400);
    expect((await visitor.post(`${draft}/safe-contact`, { safeToContact: 'yes', phone: '07700 900654', times: 'Not before noon', mayLeaveMessage: 'no' })).statusCode).toBe(303);
    const saved = await visitor.get(`${draft}/safe-contact`);
    expect(saved.body).not.toContain('before it was finished');
    expect(saved.body).toContain('value="07700 900654"');
  });

  it('lets only the practitioner who started a draft open it', async () => {
    const owner = await signIn(platform, 'practitioner@demo.invalid');
    await owner.get('/app/referrals/new');
    const draft = String((await owner.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    const other = await signIn(platform, 'service@demo.invalid');
    expect((await other.get(`${draft}/person`)).statusCode).toBe(404);
    expect((await other.get(`${draft}/check`)).statusCode).toBe(404);
    await other.get('/app/referrals');
    expect((await other.post(`${draft}/person`, formAnswers()['person'] ?? {})).statusCode).toBe(404);
    expect((await other.post(`${draft}/delete`, {})).statusCode).toBe(404);
    const draftId = draft.split('/').at(-1) ?? '';
    const refusals = await refusalsOf(draftId);
    expect(refusals).toHaveLength(4);
    expect(new Set(refusals.map((event) => event.actor_user_id)).size).toBe(1);
    expect((await owner.get(`${draft}/person`)).statusCode).toBe(200);
  });

  it('asks again a page saved before a question was added to it, rather than sending it unanswered', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    const draft = await fillReferral(visitor, formAnswers({ yes: 3 }));
    const user = await platform.services.users.findByEmail('practitioner@demo.invalid');
    if (!user) throw new Error('demo practitioner missing');
    // The judgement page as drafts saved it before the suicide and self-harm question was asked.
    const actor = { userId: user.id, organisationId: user.organisationId, roles: user.roles };
    await platform.services.referralDrafts.savePage(actor, draft.split('/').at(-1) ?? '', 'judgement', { applies: false, reasons: null }, { ip: '127.0.0.1', requestId: 'test' });
    const response = await sendDraft(visitor, draft);
    expect(response.statusCode).toBe(400);
    expect(errorText(response)).toContain('Answer the questions on “Professional judgement”');
  });

  it('will not send an incomplete draft, and says which pages are left', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid');
    await visitor.get('/app/referrals/new');
    const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    await visitor.post(`${draft}/person`, formAnswers()['person'] ?? {});
    const response = await sendDraft(visitor, draft);
    expect(response.statusCode).toBe(400);
    expect(errorText(response)).toContain('Answer the questions on “Safe contact”');
    // Nothing was sent, but the draft was read to try: that read is recorded on its own.
    const draftId = draft.split('/').at(-1) ?? '';
    const reads = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('record_id', '=', draftId).where('action', '=', 'REFERRAL_DRAFT_VIEWED').execute();
    expect(reads.map((read) => JSON.parse(read.details) as unknown)).toContainEqual({ page: 'submit' });
  });
});
