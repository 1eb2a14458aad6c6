import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobNow } from '../../../jobs.js';
import { captureLog } from '../../../../test/support/capture-log.js';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn } from '../../../../test/support/visitor.js';
import { apiBody } from '../test-support/bodies.js';
import { wantedPerson } from '../matching.js';
import { candidatePeople } from '../repository.js';
import { londonDay } from '../../../platform/time/london.js';
import { fillReferral, formAnswers, sendDraft } from '../test-support/journey.js';

describe('partner referrals API', () => {
  let platform: TestPlatform;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    platform = await createTestPlatform();
    const police = await platform.services.reference.getOrganisationBySlug('kent-police');
    const probation = await platform.services.reference.getOrganisationBySlug('probation-kss');
    if (!police || !probation) throw new Error('reference organisations missing');
    key = (await platform.services.apiKeys.issue(police.id, 'Test system', { userId: null, organisationId: null })).key;
    otherKey = (await platform.services.apiKeys.issue(probation.id, 'Other system', { userId: null, organisationId: null })).key;
  });
  afterAll(() => platform.close());

  const post = (body: unknown, headers: Record<string, string> = {}, apiKey: string | null = key) =>
    platform.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers }, payload: JSON.stringify(body) });

  it('accepts a referral and answers with the score, each criterion met, the risk level and the routes with their rules', async () => {
    const response = await post(apiBody({ yes: 15, children: [{ firstName: 'Test Child', dateOfBirth: '2018-06-01' }], professionalJudgement: { applies: true, reasons: 'Threats to kill.' } }));
    expect(response.statusCode).toBe(201);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ score: 15, riskLevel: 'high', maracCriteriaMet: true, referredToMarac: true, district: 'maidstone', ruleSet: { maracArea: 'kent', version: 1 } });
    expect((body['criteriaMet'] as Array<{ criterion: string }>).map((c) => c.criterion)).toEqual(['visible_high_risk', 'professional_judgement']);
    const routes = body['routes'] as Array<{ kind: string; organisation: { slug: string }; rulesFired: Array<{ ruleId: string; summary: string }> }>;
    expect(routes.map((route) => `${route.kind}:${route.organisation.slug}`)).toEqual(['marac:marac-hub', 'idva:demo-support-service', 'children_safeguarding:kent-county-council']);
    expect(routes[2]?.rulesFired[0]?.summary).toContain('Children live in the household');
    expect(response.headers.location).toBe(`/api/v1/referrals/${String(body['id'])}`);
    expect(JSON.stringify(body)).not.toContain('Api-Kilo');
  });

  it('routes on the referrer’s judgement of suicide or self-harm risk, not on a checklist “yes” to question 5 alone', async () => {
    const firstThirteen = Object.fromEntries(Array.from({ length: 24 }, (_, index) => [`q${String(index + 1)}`, index < 13 ? 'yes' : 'no']));
    // Another person: the earlier tests' MARAC referral of Api-Kilo would make these repeats.
    const person = { firstName: 'Test Person', lastName: 'Api-Quebec', dateOfBirth: '1985-07-09' };
    const belowThreshold = (await post(apiBody({ person, dash: firstThirteen }))).json<{ score: number; maracCriteriaMet: boolean; riskLevel: string; criteriaNotMet: Array<{ criterion: string; explanation: string }> }>();
    expect(belowThreshold).toMatchObject({ score: 13, maracCriteriaMet: false, riskLevel: 'medium' });
    // Why not MARAC, criterion by criterion, in the order the rules weigh them.
    expect(belowThreshold.criteriaNotMet.map((c) => c.criterion)).toEqual(['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat', 'suicide_self_harm']);
    expect(belowThreshold.criteriaNotMet[0]?.explanation).toBe('13 questions were answered “yes”, fewer than the 14 that send a referral to MARAC on the score alone.');

    const judged = await post(apiBody({ person, yes: 2, suicideSelfHarmRisk: 'yes' }));
    expect(judged.statusCode).toBe(201);
    const criteria = judged.json<{ criteriaMet: Array<{ criterion: string; explanation: string }> }>().criteriaMet;
    expect(criteria.map((c) => c.criterion)).toEqual(['suicide_self_harm']);
    expect(criteria[0]?.explanation).toContain('The referrer judged the person to be at high risk of suicide or self-harm because of the abuse');

    // The criterion's other limb: a high risk of serious harm from the person causing harm, judged by the referrer.
    const harmJudged = await post(apiBody({ person: { firstName: 'Test Person', lastName: 'Api-Sierra', dateOfBirth: '1986-08-10' }, yes: 2, seriousHarmRisk: 'yes' }));
    expect(harmJudged.statusCode).toBe(201);
    const harmCriteria = harmJudged.json<{ riskLevel: string; criteriaMet: Array<{ criterion: string; explanation: string }> }>();
    expect(harmCriteria.riskLevel).toBe('high');
    expect(harmCriteria.criteriaMet.map((c) => c.criterion)).toEqual(['suicide_self_harm']);
    expect(harmCriteria.criteriaMet[0]?.explanation).toContain('The referrer judged the person to be at high risk of serious harm from the person causing harm');

    const wrong = await post(apiBody({ suicideSelfHarmRisk: 'maybe', seriousHarmRisk: 'perhaps' }));
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<{ errors: Array<{ pointer: string }> }>().errors.map((e) => e.pointer)).toEqual(['/seriousHarmRisk', '/suicideSelfHarmRisk']);
  });

  it('sends a person at risk under 16 to children’s safeguarding, not MARAC, and tells children’s safeguarding of a 16- or 17-year-old too', async () => {
    type Outcome = { maracCriteriaMet: boolean; referredToMarac: boolean; riskLevel: string; criteriaMet: Array<{ criterion: string }>; routes: Array<{ kind: string }> };
    const bornYearsAgo = (years: number) => `${String(new Date().getUTCFullYear() - years)}-01-01`;
    const under16 = (await post(apiBody({ yes: 15, person: { firstName: 'Test Person', lastName: 'Api-Young', dateOfBirth: bornYearsAgo(15) } }))).json<Outcome>();
    expect(under16.criteriaMet.map((criterion) => criterion.criterion)).toEqual(['visible_high_risk']);
    expect(under16.maracCriteriaMet).toBe(true);
    expect(under16.referredToMarac).toBe(false);
    expect(under16.riskLevel).toBe('high');
    expect(under16.routes.map((route) => route.kind)).toEqual(['children_safeguarding']);
    const seventeen = (await post(apiBody({ yes: 15, person: { firstName: 'Test Person', lastName: 'Api-Older', dateOfBirth: bornYearsAgo(17) } }))).json<Outcome>();
    expect(seventeen).toMatchObject({ maracCriteriaMet: true, referredToMarac: true });
    expect(seventeen.routes.map((route) => route.kind)).toEqual(['marac', 'idva', 'children_safeguarding']);
  });

  it('tells children’s safeguarding when the person causing harm is under 16 (adolescent to parent violence), and routes the parent on their risk', async () => {
    const bornYearsAgo = (years: number) => `${String(new Date().getUTCFullYear() - years)}-01-01`;
    const sent = await post(apiBody({ yes: 15, personCausingHarm: { firstName: 'Test Son', lastName: 'Api-Apva', dateOfBirth: bornYearsAgo(15) } }));
    expect(sent.statusCode).toBe(201);
    const outcome = sent.json<{ id: string; routes: Array<{ kind: string; rulesFired: Array<{ ruleId: string }> }> }>();
    expect(outcome.routes.map((route) => route.kind)).toEqual(['marac', 'idva', 'children_safeguarding']);
    expect(outcome.routes[2]?.rulesFired.map((rule) => rule.ruleId)).toEqual(['harm-under-16']);
    const stored = await platform.services.db.kysely.selectFrom('referrals').select('harm_age_band').where('id', '=', outcome.id).executeTakeFirstOrThrow();
    expect(stored.harm_age_band).toBe('under_16');
  });

  it('tells a receiving service that a partner system did not say whether consent was given, not that no reason was needed', async () => {
    const sent = (await post(apiBody({ yes: 15, person: { firstName: 'Test Person', lastName: 'Api-Consent' } }))).json<{ id: string }>();
    const route = await platform.services.db.kysely.selectFrom('referral_routes').select('id').where('referral_id', '=', sent.id).where('kind', '=', 'marac').executeTakeFirstOrThrow();
    const page = await (await signIn(platform, 'marac@demo.invalid')).get(`/app/inbox/${route.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Not recorded: ask the referrer before sharing further');
    expect(page.body).not.toContain('Not needed');
  });

  it('tells the MARAC of a person who has moved that the case was heard by the other area’s MARAC', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const pair = { person: { firstName: 'Test Person', lastName: 'Api-Tango-Move', dateOfBirth: '1984-05-06', phone: '07700 900612' }, personCausingHarm: { firstName: 'Test Harm-Causer', lastName: 'Api-Tango-Move' } };
    const inKent = (await post(apiBody({ ...pair, yes: 15, district: 'maidstone', recentIncidentDates: [daysAgo(40)] }))).json<{ referredToMarac: boolean }>();
    expect(inKent.referredToMarac).toBe(true);
    type Outcome = { referredToMarac: boolean; criteriaMet: Array<{ criterion: string; explanation: string }> };
    // A further incident today (the UK's today, as incident dates are written), after the Kent MARAC referral, once the person has moved to Medway.
    const inMedway = (await post(apiBody({ ...pair, person: { ...pair.person, postcode: 'ME4 4TR' }, district: 'medway', recentIncidentDates: [londonDay(new Date())] }))).json<Outcome>();
    expect(inMedway.referredToMarac).toBe(true);
    expect(inMedway.criteriaMet.find((c) => c.criterion === 'repeat')?.explanation).toContain('That referral went to the Kent MARAC: the person has moved, so the case transfers to the Medway MARAC.');
  });

    it('counts incidents on earlier referrals about the same person towards potential escalation, whoever caused the harm, and no one else’s', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const person = { firstName: 'Test Person', lastName: 'Api-Tango', dateOfBirth: '1979-02-03' };
    const harm = { firstName: 'Test Harm-Causer', lastName: 'Api-Tango' };
    type Outcome = { id: string; reference: string; maracCriteriaMet: boolean; criteriaMet: Array<{ criterion: string; explanation: string }> };
    const escalation = (outcome: Outcome) => outcome.criteriaMet.find((c) => c.criterion === 'potential_escalation');

    const fromHealth = (await post(apiBody({ person, personCausingHarm: harm, recentIncidentDates: [daysAgo(60), daysAgo(30)] }))).json<Outcome>();
    expect(fromHealth.maracCriteriaMet).toBe(false);
    // Another person at risk, with the same person causing harm: their incidents are theirs, not counted with these.
    const someoneElse = (await post(apiBody({ person: { firstName: 'Test Other', lastName: 'Api-Victor', dateOfBirth: '1981-05-06' }, personCausingHarm: harm, recentIncidentDates: [daysAgo(10)] }))).json<Outcome>();
    expect(escalation(someoneElse)).toBeUndefined();
    // Another person causing harm (a family's honour-based abuse, say): the criterion counts the abuse the person suffers.
    const otherHarm = (await post(apiBody({ person, personCausingHarm: { firstName: 'Test Other', lastName: 'Api-Uniform' }, recentIncidentDates: [daysAgo(10)] }))).json<Outcome>();
    expect(escalation(otherHarm)?.explanation).toContain('3 domestic abuse incidents were recorded in the 6 months before this referral (2 of them on earlier referrals about the same person)');

    const fromPolice = (await post(apiBody({ person, personCausingHarm: harm, recentIncidentDates: [daysAgo(1), daysAgo(30)] }))).json<Outcome>();
    expect(fromPolice.maracCriteriaMet).toBe(true);
    // The incident 30 days ago that the police also give is one event, not two.
    expect(escalation(fromPolice)?.explanation).toContain('4 domestic abuse incidents were recorded in the 6 months before this referral (2 of them on earlier referrals about the same person)');
    const stored = await platform.services.db.kysely.selectFrom('referrals').select('earlier_incident_dates').where('reference', '=', fromPolice.reference).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.earlier_incident_dates)).toEqual([daysAgo(60), daysAgo(30), daysAgo(10)]);
    // Counting them tells the new referrer an earlier referral exists: which ones were counted is in the audit trail.
    const audited = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'REFERRAL_EARLIER_INCIDENTS_COUNTED').where('record_id', '=', fromPolice.id).execute();
    expect(audited.map((event) => JSON.parse(event.details) as unknown)).toEqual([{ referralIds: [otherHarm.id, fromHealth.id].join(',') }]);
  });

  it('returns the same outcome to the organisation that made it, and 404 to any other organisation', async () => {
    const made = (await post(apiBody({ yes: 2 }))).json<{ id: string }>();
    const own = await platform.app.inject({ method: 'GET', url: `/api/v1/referrals/${made.id}`, headers: { authorization: `Bearer ${key}` } });
    expect(own.statusCode).toBe(200);
    // The cautions are the answer to sending it, not part of the referral.
    expect(own.json()).toEqual({ ...made, cautions: undefined });
    const upper = await platform.app.inject({ method: 'GET', url: `/api/v1/referrals/${made.id.toUpperCase()}`, headers: { authorization: `Bearer ${key}` } });
    expect(upper.json()).toEqual(own.json());
    const notAnId = await platform.app.inject({ method: 'GET', url: '/api/v1/referrals/nonsense%27', headers: { authorization: `Bearer ${key}` } });
    expect(notAnId.statusCode).toBe(400);
    expect(notAnId.json<{ errors: unknown[] }>().errors).toEqual([{ parameter: 'id', detail: 'Must be a UUID.' }]);
    const other = await platform.app.inject({ method: 'GET', url: `/api/v1/referrals/${made.id}`, headers: { authorization: `Bearer ${otherKey}` } });
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });

  it('does not return a referral that the organisation’s staff made on the web to the organisation’s key', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const police = await platform.services.reference.getOrganisationBySlug('kent-police');
    const sent = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 4, person: { firstName: 'Test Web', lastName: 'Only-Uniform', 'dateOfBirth-year': '1971', postcode: 'ME14 9ZZ', district: 'maidstone' } })));
    const referralId = String(sent.headers.location).split('/')[3] ?? '';
    expect((await platform.services.db.kysely.selectFrom('referrals').select('referrer_organisation_id').where('id', '=', referralId).executeTakeFirst())?.referrer_organisation_id).toBe(police?.id);
    const read = await platform.app.inject({ method: 'GET', url: `/api/v1/referrals/${referralId}`, headers: { authorization: `Bearer ${key}` } });
    expect(read.statusCode).toBe(404);
  });

  it('replays the first response for a retried Idempotency-Key, and saves the referral once', async () => {
    const count = async () => Number((await platform.services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const first = await post(apiBody({ yes: 4 }), { 'idempotency-key': 'retry-test-1' });
    const again = await post({ ...apiBody({ yes: 4 }) }, { 'idempotency-key': 'retry-test-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);
    // A partner's key may be a case reference: only a keyed hash of it is stored.
    expect(await platform.services.db.kysely.selectFrom('idempotency_keys').select('key').where('key', '=', 'retry-test-1').execute()).toEqual([]);
    // The retry reads the referral's outcome again: recorded, like a GET, with the key that asked; the submission
    // names the key that sent it.
    const referralId = first.json<{ id: string }>().id;
    const events = await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'details']).where('record_id', '=', referralId).orderBy('seq').execute();
    const apiKeyId = (await platform.services.db.kysely.selectFrom('referrals').select('api_key_id').where('id', '=', referralId).executeTakeFirstOrThrow()).api_key_id;
    expect(events.filter((event) => event.action === 'REFERRAL_SUBMITTED').map((event) => JSON.parse(event.details) as unknown)).toEqual([expect.objectContaining({ source: 'api', apiKeyId })]);
    expect(events.filter((event) => event.action === 'REFERRAL_VIEWED').map((event) => JSON.parse(event.details) as unknown)).toEqual([{ view: 'api-replay', apiKeyId }]);
  });

  it('answers a retry of a key stored before keys were hashed, and forgets keys after 30 days', async () => {
    const first = await post(apiBody({ yes: 5 }), { 'idempotency-key': 'stored-plain-1' });
    const referralId = first.json<{ id: string }>().id;
    // As an earlier version stored it: the key as sent.
    await platform.services.db.kysely.updateTable('idempotency_keys').set({ key: 'stored-plain-1' }).where('response', 'like', `%${referralId}%`).execute();
    const retry = await post(apiBody({ yes: 5 }), { 'idempotency-key': 'stored-plain-1' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json<{ id: string }>().id).toBe(referralId);

    const stored = () => platform.services.db.kysely.selectFrom('idempotency_keys').select('key').where('response', 'like', `%${referralId}%`).execute();
    expect(await runJobNow(platform.services, 'referrals.forget-idempotency-keys', captureLog('silent').logger)).toMatchObject({ ran: true, outcome: 'ok' });
    expect(await stored()).toHaveLength(1);
    await platform.services.db.kysely.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - 31 * 24 * 60 * 60 * 1000).toISOString() }).where('response', 'like', `%${referralId}%`).execute();
    expect(await runJobNow(platform.services, 'referrals.forget-idempotency-keys', captureLog('silent').logger)).toMatchObject({ ran: true, outcome: 'ok' });
    expect(await stored()).toEqual([]);
  });

  it('saves a referral once when the same request arrives several times at once, answering each with the same outcome', async () => {
    const count = async () => Number((await platform.services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(apiBody({ yes: 6 }), { 'idempotency-key': 'at-once-1' })));
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 201, 201]);
    expect(answers.filter((answer) => answer.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(await count()).toBe(before + 1);
    expect(await platform.services.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses the same Idempotency-Key with a different body with a 422 problem naming the header', async () => {
    await post(apiBody({ yes: 1 }), { 'idempotency-key': 'retry-test-2' });
    const response = await post(apiBody({ yes: 9 }), { 'idempotency-key': 'retry-test-2' });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 422, errors: [{ header: 'Idempotency-Key' }] });
    expect(response.json<{ detail: string }>().detail).toContain('Idempotency-Key');
  });

  it('refuses a missing, unknown or revoked key with 401 problem+json, and saves nothing', async () => {
    expect((await post(apiBody(), {}, null)).statusCode).toBe(401);
    const unknown = await post(apiBody(), {}, 'dapk_not-a-real-key');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.headers['www-authenticate']).toContain('Bearer');
    expect(unknown.json<{ errors: unknown[] }>().errors).toEqual([{ header: 'Authorization', detail: 'Unknown or revoked API key.' }]);
    const police = await platform.services.reference.getOrganisationBySlug('kent-police');
    const issued = await platform.services.apiKeys.issue(police?.id ?? '', 'Soon revoked', { userId: null, organisationId: null });
    expect((await post(apiBody(), {}, issued.key)).statusCode).toBe(201);
    await platform.services.apiKeys.revoke(issued.id, { userId: null, organisationId: null }, null);
    const revoked = await post(apiBody(), {}, issued.key);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json<{ detail: string }>().detail).toContain('revoked');

    // An organisation switched off by an administrator loses its keys with its staff's access.
    const medway = await platform.services.reference.getOrganisationBySlug('medway-council');
    const medwayKey = (await platform.services.apiKeys.issue(medway?.id ?? '', 'Switched off', { userId: null, organisationId: null })).key;
    await platform.services.db.kysely.updateTable('organisations').set({ active: 0 }).where('id', '=', medway?.id ?? '').execute();
    try {
      expect((await post(apiBody(), {}, medwayKey)).statusCode).toBe(401);
    } finally {
      await platform.services.db.kysely.updateTable('organisations').set({ active: 1 }).where('id', '=', medway?.id ?? '').execute();
    }
  });

  it('names each invalid field with a JSON pointer: future dates, unknown district, missing answers, judgement without reasons', async () => {
    const body = apiBody({
      district: 'atlantis',
      recentIncidentDates: ['2099-01-01'],
      professionalJudgement: { applies: true },
      person: { firstName: 'Test Person', lastName: 'Api-Lima', dateOfBirth: '2999-02-03' },
      dash: { q1: 'maybe' },
      favouriteColour: 'blue',
    });
    const response = await post(body);
    expect(response.statusCode).toBe(422);
    const pointers = response.json<{ errors: Array<{ pointer: string; detail: string }> }>().errors.map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/person/dateOfBirth', '/district', '/recentIncidentDates/0', '/professionalJudgement/reasons', '/dash/q1', '/dash/q2', '/favouriteColour']));
    const detail = response.json<{ errors: Array<{ pointer: string; detail: string }> }>().errors.find((error) => error.pointer === '/person/dateOfBirth')?.detail;
    expect(detail).toContain('today or in the past');
    const left = await post({ ...body, person: { lastName: 'Api-Lima' } });
    const missingName = left.json<{ errors: Array<{ pointer: string; detail: string }> }>().errors.find((error) => error.pointer === '/person/firstName');
    expect(missingName?.detail).toMatch(/^(?!Invalid input)/);
  });

  it('gives one message for a date in the wrong form, and refuses reasons sent without professional judgement', async () => {
    const response = await post(apiBody({ person: { firstName: 'Test Person', lastName: 'Api-Mike', dateOfBirth: '05/05/1990' }, professionalJudgement: { applies: false, reasons: 'Written, but not applied.' } }));
    expect(response.statusCode).toBe(422);
    const errors = response.json<{ errors: Array<{ pointer: string; detail: string }> }>().errors;
    expect(errors).toEqual([
      { pointer: '/person/dateOfBirth', detail: expect.stringContaining('must be a real date, written YYYY-MM-DD') as unknown },
      { pointer: '/professionalJudgement/applies', detail: expect.stringContaining('Reasons were given but "applies" is false') as unknown },
    ]);
  });

  it('refuses a “child” of 18 or over, naming the date of birth, and saves nothing', async () => {
    const today = londonDay(new Date());
    const eighteenToday = `${String(Number(today.slice(0, 4)) - 18)}${today.slice(4)}`;
    const referralCount = async () => Number((await platform.services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await referralCount();
    const response = await post(apiBody({ children: [{ firstName: 'Test Child', dateOfBirth: '2015-01-01' }, { firstName: 'Test Grown', dateOfBirth: eighteenToday }] }));
    expect(response.statusCode).toBe(422);
    expect(response.json<{ errors: Array<{ pointer: string; detail: string }> }>().errors).toEqual([{ pointer: '/children/1/dateOfBirth', detail: expect.stringContaining('must be under 18') as unknown }]);
    expect(await referralCount()).toBe(before);
  });

  it('answers with what the form would point out before sending: a postcode outside Kent and Medway, or in another district', async () => {
    const person = (lastName: string, postcode: string) => ({ firstName: 'Test Person', lastName, dateOfBirth: '1984-05-06', postcode });
    const outside = await post(apiBody({ person: person('Api-Outside', 'SW1A 1AA'), district: 'canterbury' }), { 'idempotency-key': 'cautions-outside' });
    expect(outside.statusCode).toBe(201);
    const cautions = outside.json<{ cautions: string[] }>().cautions;
    expect(cautions).toContainEqual(expect.stringContaining('The postcode SW1A is not in Kent or Medway, but the referral goes to the MARAC and council for Canterbury'));
    const replayed = await post(apiBody({ person: person('Api-Outside', 'SW1A 1AA'), district: 'canterbury' }), { 'idempotency-key': 'cautions-outside' });
    expect(replayed.json<{ cautions: string[] }>().cautions).toEqual(cautions);

    const elsewhere = await post(apiBody({ person: person('Api-Elsewhere', 'ME4 4TR'), district: 'thanet' }));
    expect(elsewhere.json<{ cautions: string[] }>().cautions).toContainEqual(expect.stringContaining('The postcode ME4 is listed in Medway, not Thanet, the district you chose'));
    const matching = await post(apiBody({ person: person('Api-Matching', 'ME4 4TR'), district: 'medway' }));
    expect(matching.json<{ cautions: string[] }>().cautions.filter((caution) => caution.includes('postcode'))).toEqual([]);
  });

  it('finds an earlier referral of the same person first, however many other people share their postcode', async () => {
    const person = { firstName: 'Test Ottoline', lastName: 'Api-Bramblewick', dateOfBirth: '1981-02-03', postcode: 'ME4 4TR', phone: '07700 900777' };
    await post(apiBody({ person }));
    for (const day of ['01', '02', '03', '04']) await post(apiBody({ person: { firstName: 'Test Neighbour', lastName: `Api-Neighbour-${day}`, dateOfBirth: `1990-01-${day}`, postcode: 'ME4 4TR' } }));
    const { crypto, db } = platform.services;
    const found = await candidatePeople(db.kysely, 'person_at_risk', wantedPerson(crypto, person).indexes, '2000-01-01', 2);
    expect(found.map((row) => crypto.decryptOptional(row.last_name_enc))).toContain('Api-Bramblewick');
  });

  it('counts two incidents on the same day as two events', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const sameDay = [daysAgo(20), daysAgo(20), daysAgo(50)];
    const response = await post(apiBody({ person: { firstName: 'Test Person', lastName: 'Api-November', dateOfBirth: '1979-03-04' }, recentIncidentDates: sameDay }));
    expect(response.json<{ criteriaMet: Array<{ criterion: string }> }>().criteriaMet.map((c) => c.criterion)).toEqual(['potential_escalation']);
  });

  it('drops characters nobody types (controls, direction overrides, zero-width space) before checking, so an invisible name is no name', async () => {
    for (const firstName of ['\u200b', '\u0001\u0002', '\u202e', '\ud800']) {
      const refused = await post(apiBody({ person: { firstName, lastName: 'Api-Invisible', dateOfBirth: '1990-04-01', postcode: 'ME14 1XX' } }));
      expect(refused.statusCode, JSON.stringify(firstName)).toBe(422);
    }
    const accepted = await post(apiBody({ person: { firstName: 'Te\u0000st\u202e', lastName: 'Api-Cleaned', dateOfBirth: '1990-04-01', postcode: 'ME14 1XX' } }));
    expect(accepted.statusCode).toBe(201);
    const id = accepted.json<{ id: string }>().id;
    const row = await platform.services.db.kysely.selectFrom('referral_people').select('first_name_enc').where('referral_id', '=', id).where('role', '=', 'person_at_risk').executeTakeFirstOrThrow();
    expect(platform.services.crypto.decrypt(row.first_name_enc)).toBe('Test');
  });

  it('refuses a body that is not JSON with 415, naming the Content-Type header', async () => {
    for (const [type, payload] of [['text/plain', JSON.stringify(apiBody())], ['application/x-www-form-urlencoded', 'district=maidstone']]) {
      const response = await platform.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { 'content-type': type ?? '', authorization: `Bearer ${key}` }, payload });
      expect(response.statusCode, type).toBe(415);
      expect(response.json<{ errors: Array<{ header: string }> }>().errors).toEqual([{ header: 'Content-Type', detail: 'Must be application/json.' }]);
    }
  });

  it('answers malformed JSON with a problem document, not a stack trace', async () => {
    const response = await platform.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, payload: '{"person":' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('publishes an OpenAPI 3.1 document describing both operations', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, { operationId: string }>> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/v1/referrals']?.['post']?.operationId).toBe('createReferral');
    expect(document.paths['/api/v1/referrals/{id}']?.['get']?.operationId).toBe('getReferral');
  });
});
