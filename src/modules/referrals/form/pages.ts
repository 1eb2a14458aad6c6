import { z } from 'zod';
import { whenFieldsValid } from '../../../platform/validation-messages.js';
import { DASH_ANSWERS } from '../tables.js';
import { CHECKLIST } from '../checklist.js';
import { ageBand, CONSENT_OPTIONS, DISABILITY, ETHNICITIES, GENDERS, LAWFUL_BASES, NEED_OPTIONS, RELATIONSHIPS, RELIGIONS, SEXUAL_ORIENTATIONS, TRI_STATE, values } from '../options.js';
import { email, isChildAge, MESSAGES, optionalText, phone, postcode, requiredText } from '../schemas.js';
import type { District } from '../service.js';
import { dateFrom, datePartsOf, formDate, listFrom, rowsFrom, runPage, type Body, type PageResult } from './parse.js';

/** What every page's rules may need to know. */
export interface PageContext {
  readonly today: () => string;
  readonly districts: readonly District[];
}

export interface FormPage {
  readonly slug: string;
  readonly title: string;
  readonly template: string;
  parse(body: Body, context: PageContext): PageResult<Record<string, unknown>>;
  /** Saved answers back into form field values, to show the page again. */
  values(saved: Record<string, unknown>): Record<string, unknown>;
}

const tri = (message: string) => z.enum(values(TRI_STATE), { error: message });
/** One of the options shown, or none; anything else (a tampered form) is named plainly. */
const optionalChoice = (options: Parameters<typeof values>[0]) =>
  z
    .union([z.enum(values(options)), z.literal('')], { error: 'Select one of the options, or leave it blank' })
    .optional()
    .transform((value) => value || null);

const str = (value: unknown) => (typeof value === 'string' ? value : '');

function simplePage(slug: string, title: string, schema: z.ZodType<Record<string, unknown>>, dateFields: readonly string[] = []): FormPage {
  return {
    slug,
    title,
    template: `referrals/form/${slug}.njk`,
    parse(body) {
      const input: Body = { ...body };
      for (const field of dateFields) input[field] = dateFrom(body, field);
      return runPage(schema, input, (field) => dateFields.includes(field));
    },
    values(saved) {
      const result: Record<string, unknown> = { ...saved };
      for (const field of dateFields) Object.assign(result, datePartsOf(field, str(saved[field])));
      return result;
    },
  };
}

function personPage(context: PageContext) {
  return z.object({
    firstName: requiredText(100, 'Enter their first name', 'First name'),
    lastName: requiredText(100, 'Enter their last name', 'Last name'),
    otherNames: optionalText(200, 'Other names'),
    dateOfBirth: formDate('their date of birth', context.today),
    gender: optionalChoice(GENDERS),
    address: optionalText(500, 'Address'),
    postcode: postcode('their postcode'),
    phone: phone('their phone number'),
    email: email('their email address'),
    district: z.string({ error: MESSAGES.unknownDistrict }).refine((code) => context.districts.some((district) => district.code === code), MESSAGES.unknownDistrict),
  });
}

const harmSchema = (context: PageContext) =>
  z.object({
    firstName: requiredText(100, 'Enter the first name of the person causing harm, or what they are known as', 'First name'),
    lastName: optionalText(100, 'Last name'),
    otherNames: optionalText(200, 'Other names'),
    dateOfBirth: formDate('their date of birth', context.today),
    gender: optionalChoice(GENDERS),
    relationship: z.enum(values(RELATIONSHIPS), { error: 'Select how they are related to the person at risk' }),
    address: optionalText(500, 'Address'),
    postcode: postcode('their postcode'),
    phone: phone('their phone number'),
    notes: optionalText(2000, 'Notes'),
  }).superRefine((harm, ctx) => {
    // The checklist is for people aged 16 and over; a younger child harming a parent is routed to safeguarding by their age.
    if (harm.relationship === 'child_over_16' && ageBand(harm.dateOfBirth, context.today()) === 'under_16') {
      ctx.addIssue({ code: 'custom', path: ['relationship'], message: 'Their date of birth shows they are under 16: choose “Family member”, or check the date of birth' });
    }
  });

function dependantRows(today: () => string, kind: 'child' | 'adult') {
  const who = kind === 'child' ? 'the child' : 'the adult';
  return z.array(
    z
      .object({ name: z.string().max(200, `The name must be 200 characters or fewer`), dateOfBirth: formDate(`${who}’s date of birth`, today), setting: z.string().max(300, `${kind === 'child' ? 'The school, nursery or setting' : 'Who else supports them'} must be 300 characters or fewer`), relationship: z.string().max(200, 'The relationship must be 200 characters or fewer') })
      .superRefine((row, ctx) => {
        if (!row.name && (row.dateOfBirth || row.setting || row.relationship)) ctx.addIssue({ code: 'custom', path: ['name'], message: `Enter ${who}’s name, or clear the row` });
        if (kind === 'child' && row.dateOfBirth && !isChildAge(row.dateOfBirth, today())) ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: MESSAGES.childOver18 });
      }),
  );
}

function householdPage(context: PageContext): FormPage {
  const schema = z
    .object({
      childrenInHousehold: tri('Select whether any children live in the household'),
      children: dependantRows(context.today, 'child'),
      otherDependants: tri('Select whether any other adults depend on them'),
      adults: dependantRows(context.today, 'adult'),
    })
    .superRefine((page, ctx) => {
      // Every child named here lives in the household (children's safeguarding is told of them): the answer must say so.
      if (page.children.some((row) => row.name) && page.childrenInHousehold !== 'yes') {
        ctx.addIssue({ code: 'custom', path: ['childrenInHousehold'], message: page.childrenInHousehold === 'no' ? MESSAGES.childrenContradiction : MESSAGES.childrenNotKnownContradiction });
      }
      if (page.adults.some((row) => row.name) && page.otherDependants !== 'yes') {
        const said = page.otherDependants === 'no' ? 'You said no other adults depend on them' : 'You said you do not know whether other adults depend on them';
        ctx.addIssue({ code: 'custom', path: ['otherDependants'], message: `${said}, but gave details of one. Change the answer to “Yes” or remove the details` });
      }
    })
    .transform((page) => ({
      ...page,
      children: page.children.filter((row) => row.name).map((row) => ({ name: row.name, dateOfBirth: row.dateOfBirth, setting: row.setting || null, relationship: row.relationship || null, notes: null, livesInHousehold: true })),
      adults: page.adults.filter((row) => row.name).map((row) => ({ name: row.name, dateOfBirth: row.dateOfBirth, setting: row.setting || null, relationship: row.relationship || null, notes: null, livesInHousehold: true })),
    }));
  return {
    slug: 'household',
    title: 'Children and other dependants',
    template: 'referrals/form/household.njk',
    parse(body) {
      const input = {
        childrenInHousehold: body['childrenInHousehold'],
        children: rowsFrom(body, 'children', ['name', 'setting', 'relationship'], ['dateOfBirth']),
        otherDependants: body['otherDependants'],
        adults: rowsFrom(body, 'adults', ['name', 'setting', 'relationship'], ['dateOfBirth']),
      };
      return runPage(schema, input, (field) => field.endsWith('-dateOfBirth'));
    },
    values(saved) {
      const result: Record<string, unknown> = { childrenInHousehold: saved['childrenInHousehold'], otherDependants: saved['otherDependants'] };
      for (const group of ['children', 'adults'] as const) {
        const rows = Array.isArray(saved[group]) ? (saved[group] as Array<Record<string, unknown>>) : [];
        rows.forEach((row, index) => {
          const prefix = `${group}-${String(index)}`;
          Object.assign(result, { [`${prefix}-name`]: row['name'], [`${prefix}-setting`]: row['setting'] ?? '', [`${prefix}-relationship`]: row['relationship'] ?? '' }, datePartsOf(`${prefix}-dateOfBirth`, str(row['dateOfBirth'])));
        });
      }
      return result;
    },
  };
}

const needsSchema = z
  .object({ needs: z.array(z.enum([...values(NEED_OPTIONS), 'none'], { error: 'Select the needs from the list' })) })
  .superRefine((page, ctx) => {
    if (page.needs.length === 0) ctx.addIssue({ code: 'custom', path: ['needs'], message: 'Select the support they need, or select “None of these”' });
    if (page.needs.includes('none') && page.needs.length > 1) ctx.addIssue({ code: 'custom', path: ['needs'], message: 'Select the support they need, or “None of these”, not both' });
  })
  .transform((page) => ({ needs: page.needs.filter((need) => need !== 'none') }));

const needsPage: FormPage = {
  slug: 'needs',
  title: 'Support needs',
  template: 'referrals/form/needs.njk',
  parse(body) {
    return runPage(needsSchema, { needs: listFrom(body, 'needs') });
  },
  values(saved) {
    const needs = Array.isArray(saved['needs']) ? (saved['needs'] as string[]) : [];
    return { needs: needs.length ? needs : ['none'] };
  },
};

function dashPage(page: (typeof CHECKLIST.pages)[number]): FormPage {
  const schema = z.object(
    Object.fromEntries(
      page.questions.map((key) => [
        key,
        z.object({
          answer: z.enum(DASH_ANSWERS, { error: `Select yes, no or not known for question ${key.slice(1)}` }),
          note: optionalText(2000, `The note for question ${key.slice(1)}`),
          source: optionalText(200, `Who answered question ${key.slice(1)}`),
        }),
      ]),
    ),
  );
  return {
    slug: `dash-${page.slug}`,
    title: page.title,
    template: 'referrals/form/dash.njk',
    parse(body) {
      const input = Object.fromEntries(page.questions.map((key) => [key, { answer: body[key], note: body[`${key}-note`] ?? '', source: body[`${key}-source`] ?? '' }]));
      const result = runPage(schema, input);
      if (result.ok) return { ok: true, data: { answers: result.data } };
      // Answer errors belong on the radios (id qN), notes on qN-note.
      const byField = Object.fromEntries(Object.entries(result.errors.byField).map(([field, message]) => [field.replace(/-answer$/, ''), message]));
      return { ok: false, errors: { byField, summary: result.errors.summary.map((item) => ({ ...item, href: item.href.replace(/-answer$/, '') })) } };
    },
    values(saved) {
      const answers = (saved['answers'] ?? {}) as Record<string, { answer?: string; note?: string | null; source?: string | null }>;
      return Object.fromEntries(Object.entries(answers).flatMap(([key, entry]) => [[key, entry.answer], [`${key}-note`, entry.note ?? ''], [`${key}-source`, entry.source ?? '']]));
    },
  };
}

function incidentsPage(context: PageContext): FormPage {
  const schema = z.object({ incidents: z.array(z.object({ date: formDate('the incident date', context.today) })).max(50, 'Give at most 50 incident dates') });
  return {
    slug: 'incidents',
    title: 'Recent incidents',
    template: 'referrals/form/incidents.njk',
    parse(body) {
      const rows = rowsFrom(body, 'incidents', [], ['date']);
      const result = runPage(schema, { incidents: rows }, (field) => field.endsWith('-date'));
      if (!result.ok) return result;
      const dates = result.data.incidents.map((row) => row.date).filter((date): date is string => date !== null).sort().reverse();
      return { ok: true, data: { incidentDates: dates } };
    },
    values(saved) {
      const dates = Array.isArray(saved['incidentDates']) ? (saved['incidentDates'] as string[]) : [];
      return Object.assign({}, ...dates.map((date, index) => datePartsOf(`incidents-${String(index)}-date`, date))) as Record<string, unknown>;
    },
  };
}

const judgementSchema = z
  .object({
    seriousHarmRisk: tri('Select whether they are at high risk of serious harm from the person causing harm'),
    suicideSelfHarmRisk: tri('Select whether they are at high risk of suicide or self-harm because of the abuse'),
    applies: z.enum(['yes', 'no'], { error: 'Select whether you are referring on professional judgement' }),
    reasons: optionalText(5000, 'Your reasons'),
  })
  .superRefine((page, ctx) => {
    if (page.applies === 'yes' && !page.reasons) ctx.addIssue({ code: 'custom', path: ['reasons'], message: MESSAGES.judgementWithoutReasons });
  }, whenFieldsValid('applies', 'reasons'))
  .transform((page) => ({ seriousHarmRisk: page.seriousHarmRisk, suicideSelfHarmRisk: page.suicideSelfHarmRisk, applies: page.applies === 'yes', reasons: page.applies === 'yes' ? page.reasons : null }));

const consentSchema = z
  .object({
    status: z.enum(values(CONSENT_OPTIONS), { error: 'Select whether they agreed to this referral' }),
    lawfulBasis: optionalChoice(LAWFUL_BASES),
    notes: optionalText(2000, 'Notes about consent'),
  })
  .superRefine((page, ctx) => {
    if (page.status !== 'given' && !page.lawfulBasis) ctx.addIssue({ code: 'custom', path: ['lawfulBasis'], message: MESSAGES.lawfulBasisMissing });
  }, whenFieldsValid('status', 'lawfulBasis'))
  .transform((page) => ({ ...page, lawfulBasis: page.status === 'given' ? null : page.lawfulBasis }));

/** The pages in the order the form asks them. */
export function formPages(context: PageContext): FormPage[] {
  return [
    simplePage('person', 'The person at risk', personPage(context), ['dateOfBirth']),
    simplePage(
      'safe-contact',
      'Safe contact',
      z.object({
        safeToContact: tri('Select whether it is safe to contact them'),
        phone: phone('the safe phone number'),
        email: email('the safe email address'),
        times: optionalText(500, 'Safe times'),
        mayLeaveMessage: tri('Select whether a message may be left'),
        interpreterLanguage: optionalText(100, 'Language'),
        notes: optionalText(2000, 'Notes'),
      }),
    ),
    householdPage(context),
    needsPage,
    simplePage('person-causing-harm', 'The person causing harm', harmSchema(context), ['dateOfBirth']),
    ...CHECKLIST.pages.map(dashPage),
    incidentsPage(context),
    {
      ...simplePage('judgement', 'Professional judgement', judgementSchema),
      values: (saved) => ({ seriousHarmRisk: saved['seriousHarmRisk'], suicideSelfHarmRisk: saved['suicideSelfHarmRisk'], applies: saved['applies'] === true ? 'yes' : saved['applies'] === false ? 'no' : undefined, reasons: saved['reasons'] ?? '' }),
    },
    simplePage('consent', 'Consent to share', consentSchema),
    simplePage(
      'equality',
      'Equality monitoring',
      z.object({ ethnicity: optionalChoice(ETHNICITIES), sexualOrientation: optionalChoice(SEXUAL_ORIENTATIONS), disability: optionalChoice(DISABILITY), religion: optionalChoice(RELIGIONS) }),
    ),
    simplePage('referrer', 'Your details', z.object({ phone: phone('your phone number'), email: email('your email address') })),
  ];
}

export const PAGE_SLUGS: readonly string[] = formPages({ today: () => '2000-01-01', districts: [] }).map((page) => page.slug);

export function nextSlug(slug: string): string {
  const index = PAGE_SLUGS.indexOf(slug);
  return PAGE_SLUGS[index + 1] ?? 'check';
}

export function previousSlug(slug: string): string | null {
  const index = slug === 'check' ? PAGE_SLUGS.length : PAGE_SLUGS.indexOf(slug);
  return index > 0 ? (PAGE_SLUGS[index - 1] ?? null) : null;
}
