import { z } from 'zod';
import { PHONE_MAX_LENGTH, phoneField } from '../../../platform/phone-text.js';
import { DAYS, LANGUAGE_OPTIONS, SERVICE_STATUSES, type ServiceInput, type ServiceRecord } from '../model.js';
import { RECORD_ID } from '../../../platform/db/ids.js';
import { formVersion } from '../../../platform/db/versioning.js';

/** Forms of the directory editor. Field names are flat (`phones-0-number`), matching the inputs' ids. */

export const PHONE_ROWS = 3;
export const CONTACT_ROWS = 2;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (label: string, max: number) => z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `${capitalise(label)} must be ${String(max)} characters or fewer`);
const optional = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${String(max)} characters or fewer`)
    .optional()
    .transform((value) => value || null);
const list = z.preprocess((value) => (value === undefined || value === '' ? [] : [value].flat()), z.array(z.string()));
const flag = z.preprocess((value) => [value].flat().includes('yes'), z.boolean());
const age = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^\d{1,3}$/.test(value), `${capitalise(label)} must be a whole number, like 16`)
    .transform((value) => (value ? Number(value) : null))
    .refine((value) => value === null || value <= 120, `${capitalise(label)} must be 120 or less`);
const email = (label: string) =>
  z
    .string()
    .trim()
    .max(320, `${capitalise(label)} must be 320 characters or fewer`)
    .optional()
    .transform((value) => value || null)
    .pipe(z.union([z.null(), z.email(`Enter ${label} in the correct format, like name@example.org`)]));
const url = z
  .string()
  .trim()
  .max(500, 'Website must be 500 characters or fewer')
  .optional()
  .transform((value) => value || null)
  // Only https: a plain http link can be read or changed on the way by anyone on the network (a shared house's Wi-Fi).
  .pipe(z.union([z.null(), z.url({ protocol: /^https$/, hostname: z.regexes.domain, message: 'Enter the website address in full, starting https://, like https://www.example.org' })]));
const phone = phoneField(z.string().max(PHONE_MAX_LENGTH, `Phone number must be ${String(PHONE_MAX_LENGTH)} characters or fewer`).regex(/^[\d\s()+-]*$/, 'Enter a phone number using only digits, spaces and +'));

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Turns the flat form into the nested shape the schema checks, so error paths name the inputs. */
function nest(body: unknown): unknown {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const field = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
  return {
    ...form,
    phones: Array.from({ length: PHONE_ROWS }, (_, row) => ({ number: field(`phones-${String(row)}-number`) ?? '', description: field(`phones-${String(row)}-description`) ?? '' })),
    contacts: Array.from({ length: CONTACT_ROWS }, (_, row) => ({
      name: field(`contacts-${String(row)}-name`) ?? '',
      title: field(`contacts-${String(row)}-title`) ?? '',
      email: field(`contacts-${String(row)}-email`) ?? '',
      phone: field(`contacts-${String(row)}-phone`) ?? '',
    })),
    hours: Object.fromEntries(DAYS.map((day) => [day, Object.fromEntries(HOURS_FIELDS.map((name) => [name, field(`hours-${day}-${name}`) ?? '']))])),
  };
}

const phoneRow = z
  .object({ number: phone, description: z.string().trim().max(100, 'What the number is for must be 100 characters or fewer') })
  .refine((row) => row.number !== '' || row.description === '', { message: 'Enter the phone number, or clear what it is for', path: ['number'] })
  .refine((row) => row.number === '' || /\d{6,}/.test(row.number.replace(/\D/g, '')), { message: 'Enter a phone number with at least 6 digits', path: ['number'] });

const contactRow = z
  .object({ name: z.string().trim().max(100, 'Name must be 100 characters or fewer'), title: z.string().trim().max(100, 'Role must be 100 characters or fewer'), email: email('the email address'), phone })
  .refine((row) => row.name !== '' || (row.title === '' && row.email === null && row.phone === ''), { message: 'Enter the contact’s name, or clear the row', path: ['name'] });

/** A day's opening, and a second one after a break (a lunch hour, say), each a pair of times. */
const HOURS_FIELDS = ['opens', 'closes', 'reopens', 'recloses'] as const;

const dayHours = z
  .object({ opens: z.string().trim(), closes: z.string().trim(), reopens: z.string().trim(), recloses: z.string().trim() })
  .refine((hours) => (hours.opens === '') === (hours.closes === ''), { message: 'Enter both the opening and closing time, or neither if closed', path: ['opens'] })
  .refine((hours) => hours.opens === '' || (TIME.test(hours.opens) && TIME.test(hours.closes)), { message: 'Enter times in 24-hour form, like 09:00 and 17:30', path: ['opens'] })
  .refine((hours) => hours.opens === '' || hours.opens < hours.closes, { message: 'The closing time must be after the opening time', path: ['opens'] })
  .refine((hours) => (hours.reopens === '') === (hours.recloses === ''), { message: 'Enter both times of the opening after a break, or neither', path: ['reopens'] })
  .refine((hours) => hours.reopens === '' || hours.opens !== '', { message: 'Enter the first opening of the day before the one after a break', path: ['opens'] })
  .refine((hours) => hours.reopens === '' || (TIME.test(hours.reopens) && TIME.test(hours.recloses)), { message: 'Enter times in 24-hour form, like 13:30 and 17:00', path: ['reopens'] })
  .refine((hours) => hours.reopens === '' || hours.opens === '' || hours.reopens > hours.closes, { message: 'Opening again must be after the first closing time', path: ['reopens'] })
  .refine((hours) => hours.reopens === '' || hours.reopens < hours.recloses, { message: 'The second closing time must be after opening again', path: ['reopens'] });

/** Its fields in the order the form shows them, so the error summary follows the page. */
export const serviceForm = z.preprocess(
  nest,
  z
    .object({
      organisationId: z.string({ error: 'Choose the organisation that runs the service' }).regex(RECORD_ID, 'Choose the organisation that runs the service'),
      name: text('the service name', 200),
      description: text('a short description', 1000),
      offers: text('what the service offers', 3000),
      eligibility: text('who the service is for', 2000),
      minimumAge: age('minimum age'),
      maximumAge: age('maximum age'),
      status: z.enum(SERVICE_STATUSES as [string, ...string[]], 'Choose the service status').transform((value) => value as ServiceInput['status']),
      referral: list.pipe(z.array(z.enum(['self', 'professional'], 'Choose how people can be referred'))),
      referralDetails: optional('how to be referred', 1000).transform((value) => value ?? ''),
      acceptsCallbacks: flag,
      phones: z.array(phoneRow),
      email: email('the service email address'),
      url,
      contacts: z.array(contactRow),
      hours: z.object(Object.fromEntries(DAYS.map((day) => [day, dayHours])) as Record<(typeof DAYS)[number], typeof dayHours>),
      openingNotes: optional('notes about opening times', 500).transform((value) => value ?? ''),
      languages: list.pipe(z.array(z.enum(LANGUAGE_OPTIONS.map((option) => option.code) as [string, ...string[]], 'Choose languages from the list'))),
      accessibility: optional('access information', 2000).transform((value) => value ?? ''),
      areaCodes: list,
      termCodes: list,
      locationIds: list.pipe(z.array(z.string().regex(RECORD_ID, 'Choose locations from the list'))),
    })
    .refine((form) => form.minimumAge === null || form.maximumAge === null || form.minimumAge <= form.maximumAge, { message: 'The maximum age must be the same as or more than the minimum age', path: ['maximumAge'] }),
);

export type ServiceForm = z.infer<typeof serviceForm>;

export function serviceInputOf(form: ServiceForm): ServiceInput {
  return {
    organisationId: form.organisationId,
    name: form.name,
    description: form.description,
    offers: form.offers,
    eligibility: form.eligibility,
    minimumAge: form.minimumAge,
    maximumAge: form.maximumAge,
    referralSelf: form.referral.includes('self'),
    referralProfessional: form.referral.includes('professional'),
    referralDetails: form.referralDetails,
    languages: form.languages,
    accessibility: form.accessibility,
    openingNotes: form.openingNotes,
    url: form.url,
    email: form.email,
    status: form.status,
    acceptsCallbacks: form.acceptsCallbacks,
    phones: form.phones.filter((row) => row.number !== '').map((row) => ({ number: row.number, description: row.description })),
    contacts: form.contacts.filter((row) => row.name !== '').map((row) => ({ name: row.name, title: row.title, email: row.email, phone: row.phone || null })),
    hours: DAYS.flatMap((day) => {
      const { opens, closes, reopens, recloses } = form.hours[day];
      return [...(opens ? [{ day, opensAt: opens, closesAt: closes }] : []), ...(reopens ? [{ day, opensAt: reopens, closesAt: recloses }] : [])];
    }),
    areaCodes: [...new Set(form.areaCodes)],
    termCodes: [...new Set(form.termCodes)],
    locationIds: [...new Set(form.locationIds)],
  };
}

/** The flat form values for an existing service, to fill the edit form. */
/** The service form's written answers, by field, as the form labels them: kept for the editor after a stale save. */
export const SERVICE_TEXT_LABELS = {
  name: 'Service name',
  description: 'Short description',
  offers: 'What it offers',
  eligibility: 'Who it is for',
  minimumAge: 'Minimum age',
  maximumAge: 'Maximum age',
  referralDetails: 'How to be referred',
  email: 'Email address',
  url: 'Website',
  openingNotes: 'Notes about opening times',
  accessibility: 'Access',
} as const;

export function formValuesOf(service: ServiceRecord): Record<string, unknown> {
  const values: Record<string, unknown> = {
    organisationId: service.organisationId,
    name: service.name,
    description: service.description,
    offers: service.offers,
    eligibility: service.eligibility,
    minimumAge: service.minimumAge === null ? '' : String(service.minimumAge),
    maximumAge: service.maximumAge === null ? '' : String(service.maximumAge),
    referral: [...(service.referralSelf ? ['self'] : []), ...(service.referralProfessional ? ['professional'] : [])],
    referralDetails: service.referralDetails,
    languages: service.languages,
    accessibility: service.accessibility,
    openingNotes: service.openingNotes,
    url: service.url ?? '',
    email: service.email ?? '',
    status: service.status,
    acceptsCallbacks: service.acceptsCallbacks ? 'yes' : '',
    areaCodes: service.areaCodes,
    termCodes: service.termCodes,
    locationIds: service.locationIds,
    version: String(service.version),
  };
  service.phones.forEach((row, index) => {
    values[`phones-${String(index)}-number`] = row.number;
    values[`phones-${String(index)}-description`] = row.description;
  });
  service.contacts.forEach((row, index) => {
    values[`contacts-${String(index)}-name`] = row.name;
    values[`contacts-${String(index)}-title`] = row.title;
    values[`contacts-${String(index)}-email`] = row.email ?? '';
    values[`contacts-${String(index)}-phone`] = row.phone ?? '';
  });
  for (const day of DAYS) {
    const [first, second] = service.hours.filter((hours) => hours.day === day);
    if (first) Object.assign(values, { [`hours-${day}-opens`]: first.opensAt, [`hours-${day}-closes`]: first.closesAt });
    if (second) Object.assign(values, { [`hours-${day}-reopens`]: second.opensAt, [`hours-${day}-recloses`]: second.closesAt });
  }
  return values;
}

export const versionForm = z.object({ version: formVersion });

/** Why a service leaves the public site: kept in its history, so the partnership's map of gaps can tell a closure from a fix. */
export const WITHDRAWAL_REASONS = [
  { value: 'closed', text: 'The service has closed' },
  { value: 'not-commissioned', text: 'It is no longer commissioned or funded' },
  { value: 'wrong', text: 'Its details are wrong and are being corrected' },
  { value: 'other', text: 'Another reason' },
] as const;

export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number]['value'];

export const withdrawalForm = z.object({
  version: formVersion,
  reason: z.enum(WITHDRAWAL_REASONS.map((reason) => reason.value) as [WithdrawalReason, ...WithdrawalReason[]], { error: 'Select why the service is coming off the public site' }),
  detail: optional('more about why', 500),
}).refine((form) => form.reason !== 'other' || form.detail !== null, { path: ['detail'], message: 'Say why the service is coming off the public site' });

export const organisationForm = z.object({
  name: text('the organisation name', 200),
  description: text('a short description', 2000),
  email: email('the email address'),
  website: url,
  partnerOrganisationId: z
    .string()
    .optional()
    .transform((value) => value || null)
    .pipe(z.union([z.null(), z.string().regex(RECORD_ID, 'Choose a partner organisation from the list')])),
});

export const locationForm = z
  .object({
    organisationId: z.string({ error: 'Choose the organisation' }).regex(RECORD_ID, 'Choose the organisation'),
    name: text('the location name', 200),
    locationType: z.enum(['physical', 'postal', 'virtual'], 'Choose the kind of location'),
    confidential: flag,
    address1: optional('address line 1', 200),
    address2: optional('address line 2', 200),
    city: optional('town or city', 100),
    // Its shape is checked below: a long mistyping is told what a postcode looks like, not how long it may be.
    postalCode: optional('postcode', 100),
    areaCode: z
      .string()
      .optional()
      .transform((value) => value || null),
    accessibility: optional('access information', 1000),
  })
  .superRefine((form, context) => {
    const parts = [form.address1, form.city, form.postalCode];
    const given = parts.filter((part) => part !== null).length;
    if (given > 0 && given < parts.length) {
      if (!form.address1) context.addIssue({ code: 'custom', path: ['address1'], message: 'Enter address line 1' });
      if (!form.city) context.addIssue({ code: 'custom', path: ['city'], message: 'Enter the town or city' });
      if (!form.postalCode) context.addIssue({ code: 'custom', path: ['postalCode'], message: 'Enter the postcode' });
    }
    if (form.postalCode && !/^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$/.test(form.postalCode)) {
      context.addIssue({ code: 'custom', path: ['postalCode'], message: 'Enter a full postcode, like ME14 1XX' });
    }
    if (form.locationType === 'physical' && given === 0 && !form.confidential) {
      context.addIssue({ code: 'custom', path: ['address1'], message: 'Enter the address of the building' });
    }
  });

export const callbackStatusForm = z.object({
  version: formVersion,
  status: z.enum(['called', 'closed'], 'Choose what has happened'),
});
