import { z } from 'zod';
import { RISK_LEVELS } from '../rules/schema.js';
import { londonToUtc } from '../../../platform/time/london.js';
import { formVersion } from '../../../platform/db/versioning.js';
import { CLOSURE_OUTCOMES, CONTACT_METHODS, DECLINE_REASONS, OUTCOMES } from './options.js';

const values = <T extends string>(options: readonly { readonly value: T }[]) => options.map((option) => option.value) as [T, ...T[]];
const version = formVersion;
const note = (label: string, max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${String(max)} characters or fewer`)
    .optional()
    .transform((value) => (value ? value : null));
/** A checkbox group arrives as nothing, one string or several: always an array here. */
const checkboxes = (value: unknown): unknown => (value === undefined || value === '' ? [] : [value].flat().filter((item) => item !== ''));

export const INBOX_STATUS_FILTERS = ['open', 'new', 'accepted', 'in_contact', 'closed', 'declined', 'all'] as const;
export type InboxStatusFilter = (typeof INBOX_STATUS_FILTERS)[number];

/** The inbox filters come from a GET form: anything unknown falls back to the default instead of failing. */
export const inboxFilters = z.object({
  status: z.enum(INBOX_STATUS_FILTERS).catch('open'),
  risk: z.enum(RISK_LEVELS).nullable().catch(null),
  overdue: z
    .literal('yes')
    .transform(() => true)
    .catch(false),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type InboxFilters = z.infer<typeof inboxFilters>;

export const acceptForm = z.object({ version });

export const declineForm = z
  .object({
    reason: z.enum(values(DECLINE_REASONS), { error: 'Select why you are declining this referral' }),
    details: note('Details'),
    version,
  })
  .superRefine((form, ctx) => {
    if (form.reason === 'other' && !form.details) ctx.addIssue({ code: 'custom', path: ['details'], message: 'Explain why you are declining this referral' });
  });
export type DeclineInput = z.infer<typeof declineForm>;

/**
 * A date and time typed as in England (GOV.UK date input plus a 24-hour time), checked against `bounds`. Every
 * answer is checked in one pass, so the error summary lists every problem at once.
 */
export function contactForm(bounds: { readonly earliest: Date; readonly latest: Date }) {
  return z
    .object({
      'contactDate-day': z.string().trim().optional(),
      'contactDate-month': z.string().trim().optional(),
      'contactDate-year': z.string().trim().optional(),
      contactTime: z.string().trim().optional(),
      method: z.string().optional(),
      successful: z.string().optional(),
      note: note('Notes'),
      version,
    })
    // A refinement, not the transform below: it runs even when the notes are too long, so every problem shows at once.
    .superRefine((form, ctx) => {
      const at = attemptedAt(form, ctx);
      if (at && at.getTime() > bounds.latest.getTime()) ctx.addIssue({ code: 'custom', path: ['contactDate'], message: 'The date and time of the attempt must be now or in the past' });
      else if (at && at.getTime() < bounds.earliest.getTime()) ctx.addIssue({ code: 'custom', path: ['contactDate'], message: 'The date and time of the attempt must be after the referral was made' });
      if (!contactMethod(form.method)) ctx.addIssue({ code: 'custom', path: ['method'], message: 'Select how you tried to contact them' });
      if (form.successful !== 'yes' && form.successful !== 'no') ctx.addIssue({ code: 'custom', path: ['successful'], message: 'Select whether you spoke to them' });
    })
    .transform((form) => {
      const at = attemptedAt(form);
      const method = contactMethod(form.method);
      // The refinement above has refused any form without both.
      if (!at || !method) throw new Error('A contact attempt passed its checks without a date or a method');
      return { at, method, successful: form.successful === 'yes', note: form.note, version: form.version };
    });
}
type ContactFields = Partial<Record<'contactDate-day' | 'contactDate-month' | 'contactDate-year' | 'contactTime', string>>;
const attemptedAt = (form: ContactFields, ctx?: z.RefinementCtx) => parseLondonDateTime(form['contactDate-day'], form['contactDate-month'], form['contactDate-year'], form.contactTime, ctx);
const contactMethod = (value: string | undefined) => CONTACT_METHODS.find((option) => option.value === value)?.value;
export type ContactInput = z.infer<ReturnType<typeof contactForm>>;

/** The moment typed, or undefined; each problem is reported to `ctx` when one is given. */
function parseLondonDateTime(day: string | undefined, month: string | undefined, year: string | undefined, time: string | undefined, ctx?: z.RefinementCtx): Date | undefined {
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length === 3) {
    ctx?.addIssue({ code: 'custom', path: ['contactDate'], message: 'Enter the date of the contact attempt' });
  } else if (missing.length > 0) {
    ctx?.addIssue({ code: 'custom', path: ['contactDate'], message: `The date of the contact attempt must include a ${missing.join(' and ')}` });
  } else if (!/^\d{1,2}$/.test(day ?? '') || !/^\d{1,2}$/.test(month ?? '') || !/^\d{4}$/.test(year ?? '') || !isRealDay(Number(year), Number(month), Number(day))) {
    ctx?.addIssue({ code: 'custom', path: ['contactDate'], message: 'The date of the contact attempt must be a real date, like 27 3 2026' });
  }
  const clock = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(time ?? '');
  if (!time) ctx?.addIssue({ code: 'custom', path: ['contactTime'], message: 'Enter the time of the contact attempt' });
  else if (!clock) ctx?.addIssue({ code: 'custom', path: ['contactTime'], message: 'Enter the time as hours and minutes on a 24-hour clock, like 09:30 or 14:05' });
  const dateOk = missing.length === 0 && isRealDay(Number(year), Number(month), Number(day)) && /^\d{4}$/.test(year ?? '');
  if (!dateOk || !clock) return undefined;
  return londonToUtc({ year: Number(year), month: Number(month), day: Number(day), hour: Number(clock[1]), minute: Number(clock[2]) });
}

function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const outcomeForm = z
  .object({
    outcome: z.enum(values(OUTCOMES), { error: 'Select the outcome' }),
    closureOutcomes: z.preprocess(checkboxes, z.array(z.enum(values(CLOSURE_OUTCOMES), { error: 'Select outcomes from the list' }))),
    note: note('Notes'),
    version,
  })
  .superRefine((form, ctx) => {
    if (form.outcome === 'closed' && form.closureOutcomes.length === 0) ctx.addIssue({ code: 'custom', path: ['closureOutcomes'], message: 'Select what the support achieved' });
    if (form.outcome === 'closed' && form.closureOutcomes.includes('other') && !form.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Describe the other outcome in the notes' });
  })
  .transform((form) => ({ ...form, closureOutcomes: form.outcome === 'closed' ? [...new Set(form.closureOutcomes)] : [] }));
export type OutcomeInput = z.infer<typeof outcomeForm>;
