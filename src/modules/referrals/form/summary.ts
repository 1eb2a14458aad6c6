import { CHECKLIST, questionOf } from '../checklist.js';
import { CONSENT_OPTIONS, DISABILITY, ETHNICITIES, GENDERS, JUDGED_RISK_ANSWERS, LAWFUL_BASES, labelOf, NEED_OPTIONS, RELATIONSHIPS, RELIGIONS, SEXUAL_ORIENTATIONS, TRI_STATE } from '../options.js';
import type { District } from '../service.js';
import type { DraftAnswers } from '../drafts/service.js';
import type { ReferralInput } from '../schemas.js';

export interface SummaryRow {
  readonly key: string;
  readonly value: string;
}

export interface SummarySection {
  readonly slug: string;
  readonly title: string;
  readonly changeHref: string;
  readonly rows: readonly SummaryRow[];
  readonly answered: boolean;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function displayDate(iso: unknown): string {
  return typeof iso === 'string' && iso ? dateFormat.format(new Date(`${iso}T00:00:00Z`)) : 'Not given';
}

const shown = (value: unknown) => (typeof value === 'string' && value ? value : 'Not given');

/** "Check your answers": one card per page, each with a change link back to that page. */
export function checkAnswerSections(answers: DraftAnswers, context: { base: string; districts: readonly District[]; organisationName: string; referrerName: string }): SummarySection[] {
  const section = (slug: string, title: string, rows: (saved: Record<string, unknown>) => SummaryRow[]): SummarySection => {
    const saved = answers[slug];
    return { slug, title, changeHref: `${context.base}/${slug}?change=1`, rows: saved ? rows(saved) : [], answered: saved !== undefined };
  };
  const people = (saved: Record<string, unknown>) => [
    { key: 'Name', value: [saved['firstName'], saved['lastName']].filter(Boolean).join(' ') },
    { key: 'Other names', value: shown(saved['otherNames']) },
    { key: 'Date of birth', value: displayDate(saved['dateOfBirth']) },
    { key: 'Gender', value: labelOf(GENDERS, saved['gender'] as string) || 'Not given' },
    { key: 'Address', value: shown(saved['address']) },
    { key: 'Postcode', value: shown(saved['postcode']) },
    { key: 'Phone', value: shown(saved['phone']) },
  ];
  const dependants = (rows: unknown) =>
    Array.isArray(rows) && rows.length
      ? (rows as Array<Record<string, unknown>>).map((row) => [row['name'], row['dateOfBirth'] ? `born ${displayDate(row['dateOfBirth'])}` : null, row['setting'], row['relationship']].filter(Boolean).join(', ')).join('; ')
      : 'None given';

  return [
    section('person', 'The person at risk', (saved) => [
      ...people(saved),
      { key: 'Email', value: shown(saved['email']) },
      { key: 'District', value: context.districts.find((district) => district.code === saved['district'])?.name ?? shown(saved['district']) },
    ]),
    section('safe-contact', 'Safe contact', (saved) => [
      { key: 'Safe to contact', value: labelOf(TRI_STATE, saved['safeToContact'] as string) },
      { key: 'Safe phone number', value: shown(saved['phone']) },
      { key: 'Safe email address', value: shown(saved['email']) },
      { key: 'Safe times', value: shown(saved['times']) },
      { key: 'May we leave a message', value: labelOf(TRI_STATE, saved['mayLeaveMessage'] as string) },
      { key: 'Interpreter needed for', value: shown(saved['interpreterLanguage']) },
      { key: 'Notes', value: shown(saved['notes']) },
    ]),
    section('household', 'Children and other dependants', (saved) => [
      { key: 'Children in the household', value: labelOf(TRI_STATE, saved['childrenInHousehold'] as string) },
      { key: 'Children', value: dependants(saved['children']) },
      { key: 'Other adults who depend on them', value: labelOf(TRI_STATE, saved['otherDependants'] as string) },
      { key: 'Adults', value: dependants(saved['adults']) },
    ]),
    section('needs', 'Support needs', (saved) => [
      { key: 'Needs', value: (saved['needs'] as string[]).map((need) => labelOf(NEED_OPTIONS, need)).join('; ') || 'None of these' },
    ]),
    section('person-causing-harm', 'The person causing harm', (saved) => [
      ...people(saved),
      { key: 'Relationship', value: labelOf(RELATIONSHIPS, saved['relationship'] as string) },
      { key: 'Notes', value: shown(saved['notes']) },
    ]),
    ...CHECKLIST.pages.map((page) =>
      section(`dash-${page.slug}`, `Risk checklist: ${page.title}`, (saved) =>
        page.questions.map((key) => {
          const entry = ((saved['answers'] ?? {}) as Record<string, { answer: string; note: string | null; source: string | null }>)[key];
          const extra = [entry?.note ? `Note: ${entry.note}` : null, entry?.source ? `Answered by: ${entry.source}` : null].filter(Boolean).join('. ');
          return { key: `${key.slice(1)}. ${questionOf(key)?.text ?? key}`, value: [labelOf(TRI_STATE, entry?.answer), extra].filter(Boolean).join(' — ') };
        }),
      ),
    ),
    section('incidents', 'Recent incidents', (saved) => [
      { key: 'Dates of known incidents', value: (saved['incidentDates'] as string[]).map(displayDate).join('; ') || 'None given' },
    ]),
    section('judgement', 'Professional judgement', (saved) => [
      { key: 'High risk of serious harm from the person causing harm', value: labelOf(JUDGED_RISK_ANSWERS, saved['seriousHarmRisk'] as string) || 'Not answered yet' },
      { key: 'High risk of suicide or self-harm because of the abuse', value: labelOf(JUDGED_RISK_ANSWERS, saved['suicideSelfHarmRisk'] as string) || 'Not answered yet' },
      { key: 'Referring on professional judgement', value: saved['applies'] === true ? 'Yes' : 'No' },
      ...(saved['applies'] === true ? [{ key: 'Reasons', value: shown(saved['reasons']) }] : []),
    ]),
    section('consent', 'Consent to share', (saved) => [
      { key: 'Consent', value: labelOf(CONSENT_OPTIONS, saved['status'] as string) },
      ...(saved['status'] !== 'given' ? [{ key: 'Lawful reason to share', value: labelOf(LAWFUL_BASES, saved['lawfulBasis'] as string) }] : []),
      { key: 'Notes', value: shown(saved['notes']) },
    ]),
    section('equality', 'Equality monitoring (optional)', (saved) => [
      { key: 'Ethnic group', value: labelOf(ETHNICITIES, saved['ethnicity'] as string) || 'Not given' },
      { key: 'Sexual orientation', value: labelOf(SEXUAL_ORIENTATIONS, saved['sexualOrientation'] as string) || 'Not given' },
      { key: 'Disability', value: labelOf(DISABILITY, saved['disability'] as string) || 'Not given' },
      { key: 'Religion', value: labelOf(RELIGIONS, saved['religion'] as string) || 'Not given' },
    ]),
    {
      ...section('referrer', 'Your details', (saved) => [
        { key: 'Referrer', value: context.referrerName },
        { key: 'Agency', value: context.organisationName },
        { key: 'Phone', value: shown(saved['phone']) },
        { key: 'Email', value: shown(saved['email']) },
      ]),
      ...(answers['referrer'] ? {} : { rows: [{ key: 'Referrer', value: context.referrerName }, { key: 'Agency', value: context.organisationName }] }),
    },
  ];
}

/** A submitted referral in the draft's page-by-page shape, so the same summary shows what was sent. */
export function answersOfInput(input: ReferralInput): DraftAnswers {
  const answers: DraftAnswers = {
    person: { ...input.person, district: input.district },
    'safe-contact': { ...input.safeContact },
    household: { childrenInHousehold: input.childrenInHousehold, children: input.children, otherDependants: input.otherDependants, adults: input.adults },
    needs: { needs: input.needs },
    'person-causing-harm': { ...input.personCausingHarm },
    incidents: { incidentDates: input.incidentDates },
    judgement: { ...input.professionalJudgement, seriousHarmRisk: input.seriousHarmRisk, suicideSelfHarmRisk: input.suicideSelfHarmRisk },
    consent: { ...input.consent },
    equality: { ...input.equality },
    referrer: { phone: input.referrer.phone, email: input.referrer.email },
  };
  for (const page of CHECKLIST.pages) {
    answers[`dash-${page.slug}`] = { answers: Object.fromEntries(page.questions.filter((key) => input.dash[key]).map((key) => [key, input.dash[key]])) };
  }
  return answers;
}
