import type { LightMyRequestResponse } from 'fastify';
import type { Visitor } from '../../../../test/support/visitor.js';

/** The answers a practitioner types, page by page: synthetic people, every DASH answer "no" unless changed. */
export function formAnswers(change: { yes?: number; person?: Record<string, string>; [page: string]: unknown } = {}): Record<string, Record<string, string | string[]>> {
  const { yes = 0, person = {}, ...pages } = change;
  const dash = (from: number, to: number) => {
    const page: Record<string, string> = {};
    for (let q = from; q <= to; q += 1) page[`q${String(q)}`] = q > 24 - yes ? 'yes' : 'no';
    return page;
  };
  return {
    person: { firstName: 'Test Person', lastName: 'Form-Mike', 'dateOfBirth-day': '4', 'dateOfBirth-month': '5', 'dateOfBirth-year': '1991', postcode: 'CT9 1ZZ', phone: '07700 900321', district: 'thanet', ...person },
    'safe-contact': { safeToContact: 'yes', phone: '07700 900322', times: 'Mornings', mayLeaveMessage: 'no' },
    household: { childrenInHousehold: 'no', otherDependants: 'no' },
    needs: { needs: 'none' },
    'person-causing-harm': { firstName: 'Test Harm-Causer', lastName: 'Form-Mike', relationship: 'ex_partner' },
    'dash-injuries-and-fear': dash(1, 6),
    'dash-children-and-harassment': dash(7, 12),
    'dash-violence-and-threats': dash(13, 18),
    'dash-person-causing-harm': dash(19, 24),
    incidents: { 'incidents-0-date-day': '1', 'incidents-0-date-month': '1', 'incidents-0-date-year': '2026' },
    judgement: { seriousHarmRisk: 'no', suicideSelfHarmRisk: 'no', applies: 'no' },
    consent: { status: 'given' },
    equality: {},
    referrer: { phone: '01632 960 002' },
    ...(pages as Record<string, Record<string, string | string[]>>),
  };
}

/** Starts a draft and answers every page; returns the draft's address (…/drafts/<id>). */
export async function fillReferral(visitor: Visitor, answers = formAnswers()): Promise<string> {
  await visitor.get('/app/referrals/new');
  const started = await visitor.post('/app/referrals/new', {});
  const draft = String(started.headers.location).replace(/\/person$/, '');
  for (const [page, form] of Object.entries(answers)) {
    await visitor.get(`${draft}/${page}`);
    const saved = await visitor.post(`${draft}/${page}`, form);
    if (saved.statusCode !== 303) throw new Error(`Page ${page} was refused (${String(saved.statusCode)}): ${errorText(saved)}`);
  }
  return draft;
}

export async function sendDraft(visitor: Visitor, draft: string): Promise<LightMyRequestResponse> {
  await visitor.get(`${draft}/check`);
  return visitor.post(`${draft}/check`, {});
}

export function errorText(response: LightMyRequestResponse): string {
  return /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(response.body)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
}
