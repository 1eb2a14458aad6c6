import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction } from '../../platform/audit/catalogue.js';
import type { AuditEventTable } from '../../platform/audit/tables.js';

const ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];
export const OUTCOMES = ['success', 'failure', 'denied'] as const satisfies ReadonlyArray<AuditEventTable['outcome']>;

/** An empty box in a GET form arrives as ''; that means "any". A box sent twice is answered with `notOne`. */
const optionalText = (max: number, message: string, notOne?: string) =>
  z
    .string(notOne === undefined ? undefined : { error: notOne })
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

/** Accepts what a date box sends (2026-11-25) and what people type (25/11/2026); gives YYYY-MM-DD. */
const dateText = (label: string) =>
  optionalText(20, `${label} must be a real date, like 25/11/2026`, `${label} must be a real date, like 25/11/2026`).transform((value, context) => {
    if (value === undefined) return undefined;
    const iso = toIsoDate(value);
    // The trail holds nothing from before 2000 or after 2100: a real date outside them is a typing slip, said as such.
    const problem = !iso ? 'must be a real date, like 25/11/2026' : iso < '2000-01-01' || iso > '2100-12-31' ? 'must be between the years 2000 and 2100' : undefined;
    if (problem) {
      context.addIssue({ code: 'custom', message: `${label} ${problem}` });
      return z.NEVER;
    }
    return iso;
  });

export function toIsoDate(text: string): string | undefined {
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const ukMatch = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [year, month, day] = isoMatch ? [isoMatch[1], isoMatch[2], isoMatch[3]] : ukMatch ? [ukMatch[3], ukMatch[2], ukMatch[1]] : [];
  if (!year || !month || !day) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return date.toISOString().slice(0, 10);
}

/** The search form: every box optional; together they narrow the trail. */
export const auditFilterQuery = z
  .object({
    from: dateText('The start date'),
    to: dateText('The end date'),
    action: z
      .string({ error: 'Select an action from the list' })
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.enum(ACTION_NAMES, { error: 'Select an action from the list' }).optional()),
    actor: optionalText(320, 'Email address must be 320 characters or fewer', 'Enter one email address').pipe(
      z.email('Enter an email address in the correct format, like name@example.org').optional(),
    ),
    organisation: optionalText(100, 'Select an organisation from the list', 'Select an organisation from the list'),
    recordType: optionalText(60, 'Record type must be 60 characters or fewer', 'Enter one record type'),
    recordId: optionalText(200, 'Record identifier must be 200 characters or fewer', 'Enter one record identifier'),
    outcome: z
      .string({ error: 'Select an outcome from the list' })
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.enum(OUTCOMES, { error: 'Select an outcome from the list' }).optional()),
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
    // Carried by the page links; one that is not a number starts the pages afresh.
    upTo: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { path: ['to'], message: 'The end date must be the same as or after the start date' });

export type AuditFilterQuery = z.infer<typeof auditFilterQuery>;
