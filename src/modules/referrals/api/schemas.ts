import { z } from 'zod';
import { DASH_ANSWERS } from '../tables.js';
import { DASH_KEYS } from '../checklist.js';
import { LAWFUL_BASES, values } from '../options.js';
import { NEEDS } from '../rules/schema.js';
import { isChildAge, MESSAGES, pastDate, postcode, phone, type ReferralInput } from '../schemas.js';
import { isMissing } from '../../../platform/validation-messages.js';

/** The partner API's referral body (issue #4), validated with paths that become JSON pointers in problems. */
export function apiReferralSchema(today: () => string, districts: ReadonlySet<string>) {
  const name = (label: string) => z.string({ error: `Give the ${label}` }).trim().min(1, `Give the ${label}`).max(100, `The ${label} must be 100 characters or fewer`);
  const person = (who: string, lastNameRequired: boolean) =>
    z.strictObject({
      firstName: name(`${who}'s first name`),
      lastName: lastNameRequired ? name(`${who}'s last name`) : name(`${who}'s last name`).optional(),
      dateOfBirth: pastDate(today, `the ${who}'s date of birth`).optional(),
      postcode: postcode(`the ${who}'s postcode`),
      phone: phone(`the ${who}'s phone number`),
    });
  const answer = z.enum(DASH_ANSWERS, { error: 'Answer with "yes", "no" or "not_known"' });
  return z
    .strictObject({
      person: person('person at risk', true),
      personCausingHarm: person('person causing harm', false),
      district: z.string({ error: MESSAGES.unknownDistrict }).refine((code) => districts.has(code), { message: `${MESSAGES.unknownDistrict}: one of ${[...districts].join(', ')}` }),
      dash: z.strictObject(Object.fromEntries(DASH_KEYS.map((key) => [key, answer])) as Record<string, typeof answer>, { error: 'Give the checklist answers as an object with keys q1 to q24' }),
      // Cross-field rules sit on the smallest object holding both fields, so they are reported with every other error.
      professionalJudgement: z
        .strictObject({ applies: z.boolean({ error: 'Say whether professional judgement applies (true or false)' }), reasons: z.string().trim().max(5000).optional() })
        .superRefine((judgement, ctx) => {
          if (judgement.applies && !judgement.reasons) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'Give the reasons for referring on professional judgement' });
          if (!judgement.applies && judgement.reasons) ctx.addIssue({ code: 'custom', path: ['applies'], message: 'Reasons were given but "applies" is false: set it to true to refer on professional judgement, or leave the reasons out' });
        }),
      seriousHarmRisk: answer.optional(),
      suicideSelfHarmRisk: answer.optional(),
      recentIncidentDates: z.array(pastDate(today, 'incident date')).max(100, 'Give at most 100 incident dates').default([]),
      children: z.array(z.strictObject({ firstName: name("child's first name"), lastName: name("child's last name").optional(), dateOfBirth: pastDate(today, "the child's date of birth").refine((born) => isChildAge(born, today()), "A child must be under 18 today: check the child's date of birth").optional() })).max(20).optional(),
      needs: z.array(z.enum(NEEDS)).max(NEEDS.length).optional(),
      consent: z
        .strictObject({ status: z.enum(['given', 'not_given', 'not_asked']), lawfulBasis: z.enum(values(LAWFUL_BASES)).optional() })
        .superRefine((consent, ctx) => {
          if (consent.status !== 'given' && !consent.lawfulBasis) ctx.addIssue({ code: 'custom', path: ['lawfulBasis'], message: 'Give the lawful reason for sharing without consent' });
        })
        .optional(),
    });
}

export type ApiReferralBody = z.infer<ReturnType<typeof apiReferralSchema>>;

export function apiBodyToInput(body: ApiReferralBody): ReferralInput {
  const person = (p: ApiReferralBody['personCausingHarm']) => ({
    firstName: p.firstName,
    lastName: p.lastName ?? null,
    otherNames: null,
    dateOfBirth: p.dateOfBirth ?? null,
    address: null,
    postcode: p.postcode,
    phone: p.phone,
    email: null,
    gender: null,
  });
  return {
    district: body.district,
    person: person(body.person),
    safeContact: { safeToContact: 'not_known', phone: null, email: null, times: null, mayLeaveMessage: 'not_known', notes: null, interpreterLanguage: null },
    childrenInHousehold: body.children === undefined ? 'not_known' : body.children.length > 0 ? 'yes' : 'no',
    children: (body.children ?? []).map((child) => ({ name: [child.firstName, child.lastName].filter(Boolean).join(' '), dateOfBirth: child.dateOfBirth ?? null, relationship: null, setting: null, notes: null, livesInHousehold: true })),
    otherDependants: 'not_known',
    adults: [],
    needs: body.needs ?? [],
    personCausingHarm: { ...person(body.personCausingHarm), relationship: null, notes: null },
    dash: Object.fromEntries(Object.entries(body.dash).map(([key, answer]) => [key, { answer, note: null, source: null }])),
    professionalJudgement: { applies: body.professionalJudgement.applies, reasons: body.professionalJudgement.reasons ?? null },
    seriousHarmRisk: body.seriousHarmRisk ?? 'not_given',
    suicideSelfHarmRisk: body.suicideSelfHarmRisk ?? 'not_given',
    // One date is one event, as on the form: the same date sent twice does not count twice towards escalation.
    incidentDates: [...body.recentIncidentDates].sort().reverse(),
    consent: body.consent ? { status: body.consent.status, lawfulBasis: body.consent.lawfulBasis ?? null, notes: null } : { status: 'not_recorded', lawfulBasis: null, notes: null },
    equality: { gender: null, ethnicity: null, sexualOrientation: null, disability: null, religion: null },
    referrer: { name: null, phone: null, email: null },
  };
}

/** RFC 6901 pointer for a validation path; unknown keys point at the key itself. */
export function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function problemErrors(error: z.ZodError): Array<{ pointer: string; detail: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ pointer: pointerOf([...issue.path, key]), detail: `"${key}" is not a field this API accepts` }));
    return [{ pointer: pointerOf(issue.path), detail: isMissing(issue) ? 'This field is required' : issue.message }];
  });
}
