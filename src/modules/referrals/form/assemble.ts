import type { NeedCode } from '../rules/schema.js';
import type { DashEntry, DependantInput, ReferralInput } from '../schemas.js';
import type { ConsentStatus, TriState } from '../tables.js';
import { unfinishedPage, type DraftAnswers } from '../drafts/service.js';
import { PAGE_SLUGS } from './pages.js';

/** Pages every referral needs; equality monitoring is optional and the referrer page has defaults. */
const OPTIONAL_PAGES = new Set(['equality', 'referrer']);

/** Questions added to a page after drafts were saved on it: such a draft goes back to the page to answer them. */
const LATER_QUESTIONS: Readonly<Record<string, readonly string[]>> = { judgement: ['suicideSelfHarmRisk', 'seriousHarmRisk'] };

/** Pages not yet answered, and pages saved for later unfinished (their last answers are not what the practitioner meant to send). */
export function missingPages(answers: DraftAnswers): string[] {
  const answered = (slug: string) => answers[slug] !== undefined && (LATER_QUESTIONS[slug] ?? []).every((field) => field in (answers[slug] ?? {}));
  return PAGE_SLUGS.filter((slug) => unfinishedPage(answers, slug) !== undefined || (!OPTIONAL_PAGES.has(slug) && !answered(slug)));
}

/** The first page still to answer, to resume a draft from; the check page once everything is answered. */
export function resumePage(answers: DraftAnswers): string {
  return missingPages(answers)[0] ?? 'check';
}

const s = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * A complete draft as a referral. Each page's answers were validated when saved, so this only rearranges
 * them; the service checks again what only it can (the district's rules).
 */
export function assembleReferral(answers: DraftAnswers, referrer: { name: string; email: string }): ReferralInput | undefined {
  if (missingPages(answers).length > 0) return undefined;
  const page = (slug: string) => answers[slug] ?? {};
  const person = page('person');
  const safe = page('safe-contact');
  const household = page('household');
  const harm = page('person-causing-harm');
  const judgement = page('judgement');
  const consent = page('consent');
  const equality = page('equality');
  const you = page('referrer');
  const dash: Record<string, DashEntry> = {};
  for (const slug of PAGE_SLUGS.filter((candidate) => candidate.startsWith('dash-'))) Object.assign(dash, page(slug)['answers']);
  return {
    district: String(person['district']),
    person: {
      firstName: String(person['firstName']),
      lastName: s(person['lastName']),
      otherNames: s(person['otherNames']),
      dateOfBirth: s(person['dateOfBirth']),
      address: s(person['address']),
      postcode: s(person['postcode']),
      phone: s(person['phone']),
      email: s(person['email']),
      gender: s(person['gender']),
    },
    safeContact: {
      safeToContact: safe['safeToContact'] as TriState,
      phone: s(safe['phone']),
      email: s(safe['email']),
      times: s(safe['times']),
      mayLeaveMessage: safe['mayLeaveMessage'] as TriState,
      notes: s(safe['notes']),
      interpreterLanguage: s(safe['interpreterLanguage']),
    },
    childrenInHousehold: household['childrenInHousehold'] as TriState,
    children: (household['children'] ?? []) as DependantInput[],
    otherDependants: household['otherDependants'] as TriState,
    adults: (household['adults'] ?? []) as DependantInput[],
    needs: (page('needs')['needs'] ?? []) as NeedCode[],
    personCausingHarm: {
      firstName: String(harm['firstName']),
      lastName: s(harm['lastName']),
      otherNames: s(harm['otherNames']),
      dateOfBirth: s(harm['dateOfBirth']),
      address: s(harm['address']),
      postcode: s(harm['postcode']),
      phone: s(harm['phone']),
      email: null,
      gender: s(harm['gender']),
      relationship: s(harm['relationship']),
      notes: s(harm['notes']),
    },
    dash,
    professionalJudgement: { applies: judgement['applies'] === true, reasons: s(judgement['reasons']) },
    seriousHarmRisk: judgement['seriousHarmRisk'] as TriState,
    suicideSelfHarmRisk: judgement['suicideSelfHarmRisk'] as TriState,
    incidentDates: (page('incidents')['incidentDates'] ?? []) as string[],
    consent: { status: consent['status'] as ConsentStatus, lawfulBasis: s(consent['lawfulBasis']), notes: s(consent['notes']) },
    // Gender is asked once, about the person at risk, and counted for equality monitoring from there.
    equality: { gender: s(person['gender']), ethnicity: s(equality['ethnicity']), sexualOrientation: s(equality['sexualOrientation']), disability: s(equality['disability']), religion: s(equality['religion']) },
    referrer: { name: referrer.name, phone: s(you['phone']), email: s(you['email']) ?? referrer.email },
  };
}
