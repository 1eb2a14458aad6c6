import { formPages, type FormPage, type PageContext } from '../../src/modules/referrals/form/pages.js';
import { isoDay } from '../../src/modules/referrals/rules/dates.js';
import { apiBody } from '../../src/modules/referrals/test-support/bodies.js';
import { formAnswers } from '../../src/modules/referrals/test-support/journey.js';
import type { Actor } from '../../src/platform/access/policy.js';
import type { Services } from '../../src/services.js';
import { describe, measure, type CycleEntry } from '../support/measure.js';
import { inPool, personaActor, freshSessionCookie } from '../support/sign-in.js';
import { randomSequence, syntheticHarmPerson, syntheticPerson, type Random } from '../support/synthetic-people.js';
import type { BenchContext, BenchRow, Scenario } from '../support/types.js';

const CONNECTIONS = 20;
const WARM_UP = 40;
/** Each form submission uses up a draft, prepared page by page through the draft service; BENCH_FORM_SUBMISSIONS changes it. */
const FORM_SUBMISSIONS = Number(process.env['BENCH_FORM_SUBMISSIONS'] ?? 400);
const API_SUBMISSIONS = Number(process.env['BENCH_API_SUBMISSIONS'] ?? 1000);
const ORIGIN = { ip: '127.0.0.1', requestId: 'bench' };

/** A practitioner's draft with every page answered, saved page by page as the form does; a different person each time. */
async function prepareDraft(services: Services, actor: Actor, context: PageContext, pages: readonly FormPage[], random: Random): Promise<string> {
  const person = syntheticPerson(random);
  const harm = syntheticHarmPerson(random);
  const [year, month, day] = person.dateOfBirth.split('-');
  const answers = formAnswers({
    yes: Math.floor(random() * 18),
    person: { firstName: person.firstName, lastName: person.lastName, 'dateOfBirth-day': String(Number(day)), 'dateOfBirth-month': String(Number(month)), 'dateOfBirth-year': year ?? '', postcode: person.postcode ?? '', phone: person.phone ?? '', district: person.district },
    'person-causing-harm': { firstName: harm.firstName, lastName: harm.lastName, relationship: 'ex_partner' },
  });
  const id = await services.referralDrafts.start(actor, ORIGIN);
  for (const [slug, form] of Object.entries(answers)) {
    const page = pages.find((candidate) => candidate.slug === slug);
    if (!page) throw new Error(`The referral form has no page ${slug}`);
    const parsed = page.parse(form, context);
    if (!parsed.ok) throw new Error(`Draft page ${slug} was refused: ${JSON.stringify(parsed.errors.summary)}`);
    await services.referralDrafts.savePage(actor, id, slug, parsed.data, ORIGIN);
  }
  return id;
}

/** Partner-system bodies, each a different synthetic person, with an Idempotency-Key as a careful partner sends. */
function apiRequests(count: number, random: Random, key: string): CycleEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const person = syntheticPerson(random);
    const harm = syntheticHarmPerson(random);
    const body = apiBody({
      yes: Math.floor(random() * 18),
      district: person.district,
      person: { firstName: person.firstName, lastName: person.lastName, dateOfBirth: person.dateOfBirth, ...(person.postcode ? { postcode: person.postcode } : {}), ...(person.phone ? { phone: person.phone } : {}) },
      personCausingHarm: { firstName: harm.firstName, lastName: harm.lastName, ...(harm.dateOfBirth ? { dateOfBirth: harm.dateOfBirth } : {}) },
    });
    return { path: '/api/v1/referrals', body: JSON.stringify(body), headers: { authorization: `Bearer ${key}`, 'idempotency-key': `bench-${String(index)}-${String(random()).slice(2)}` } };
  });
}

async function referralCount(context: BenchContext, source: 'form' | 'api'): Promise<number> {
  const row = await context.platform.services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll<string | number>().as('n')).where('source', '=', source).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Issue 4's submission figures: the final "check answers" submit of the practitioner's form (drafts prepared through
 * the draft service beforehand, a different synthetic person in each), and POST /api/v1/referrals with an API key
 * issued by the key service; 20 connections, every request a new referral, checked afterwards in the database.
 */
export const referralSubmissionScenario: Scenario = {
  name: 'referral-submit',
  description: 'Referral submission through the form (check answers) and the partner API: throughput and p95 at 20 connections',
  async run(context) {
    const rows: BenchRow[] = [];
    const row = (measure: string, target: string, measured: string, pass?: boolean) => rows.push({ scenario: 'referral-submit', database: context.dialect, measure, target, measured, ...(pass === undefined ? {} : { pass }) });
    const { services } = context.platform;
    const random = randomSequence(context.dialect === 'sqlite' ? 11 : 12);

    // The form: the practitioner's own session and form token, one prepared draft per request.
    const practitioner = await personaActor(services, 'practitioner@demo.invalid');
    const cookie = await freshSessionCookie(context, 'practitioner@demo.invalid');
    const csrf = await context.csrfTokenFor(cookie);
    const pageContext: PageContext = { today: () => isoDay(services.clock()), districts: await services.referrals.districts() };
    const pages = formPages(pageContext);
    const preparing = performance.now();
    const drafts = Array.from({ length: WARM_UP + FORM_SUBMISSIONS }, () => '');
    await inPool(drafts, 4, async (_, index) => {
      drafts[index] = await prepareDraft(services, practitioner, pageContext, pages, random);
    });
    row(`prepare ${String(drafts.length)} drafts through the draft service (15 pages each)`, '-', `${((performance.now() - preparing) / 1000).toFixed(1)} s`);
    const submit = (ids: readonly string[]) =>
      measure(context, {
        method: 'POST',
        cycle: ids.map((id) => ({ path: `/app/referrals/drafts/${id}/check` })),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
        connections: CONNECTIONS,
        amount: ids.length,
        expectedStatus: 303,
      });
    const formBefore = await referralCount(context, 'form');
    await submit(drafts.slice(0, WARM_UP));
    const form = await submit(drafts.slice(WARM_UP));
    const formSent = (await referralCount(context, 'form')) - formBefore;
    if (formSent !== drafts.length) throw new Error(`${String(drafts.length)} form submissions answered 303 but ${String(formSent)} referrals were saved.`);
    row(`form "check answers" submit, ${String(CONNECTIONS)} connections: p95`, '< 100 ms', describe(form), form.latency.p95 < 100);
    row('form submissions: throughput', '-', `${form.perSecond.toFixed(0)} referrals/s (${String(form.requests)} measured, each saved)`);

    // The API: a key issued to a partner organisation through the key service, as an administrator would.
    const police = await services.reference.getOrganisationBySlug('kent-police');
    if (!police) throw new Error('Demo organisation kent-police is missing.');
    const issued = await services.apiKeys.issue(police.id, 'Benchmark partner system (synthetic)', { userId: null, organisationId: null });
    const requests = apiRequests(WARM_UP + API_SUBMISSIONS, random, issued.key);
    const send = (batch: readonly CycleEntry[]) =>
      measure(context, { method: 'POST', cycle: batch, headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, amount: batch.length, expectedStatus: 201 });
    const apiBefore = await referralCount(context, 'api');
    await send(requests.slice(0, WARM_UP));
    const api = await send(requests.slice(WARM_UP));
    const apiSent = (await referralCount(context, 'api')) - apiBefore;
    if (apiSent !== requests.length) throw new Error(`${String(requests.length)} API submissions answered 201 but ${String(apiSent)} referrals were saved.`);
    row(`API POST /api/v1/referrals, ${String(CONNECTIONS)} connections: p95`, '< 100 ms', describe(api), api.latency.p95 < 100);
    row('API submissions: throughput', '-', `${api.perSecond.toFixed(0)} referrals/s (${String(api.requests)} measured, each saved)`);
    return rows;
  },
};
