import { z } from 'zod';
import { fieldOrderOf, formErrorsFrom, type FormErrors } from '../../../platform/views/form-errors.js';
import { capitalise, isRealDate } from '../schemas.js';

/**
 * Turning a posted GOV.UK form into data for a referral page: date inputs arrive as day, month and year
 * fields; repeating rows (children, incident dates) arrive as `<group>-<n>-<field>`. Both are gathered first,
 * so the page's Zod schema sees plain values and its error paths name the field to link to.
 */

export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
}

/** '' when all three parts are empty, 'incomplete' or 'invalid' when unusable, otherwise YYYY-MM-DD. */
export function dateFrom(body: Body, prefix: string): string {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(body, `${prefix}-${part}`)) as [string, string, string];
  if (!day && !month && !year) return '';
  if (!day || !month || !year) return 'incomplete';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid';
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export function datePartsOf(prefix: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year ?? '' };
}

/**
 * The row numbers a repeating group's fields carry (with a value, when `filled`). Two digits at most: a crafted
 * "children-20000-name" is not a row, so it cannot ask for a page of 20,001 of them.
 */
export function rowIndexes(body: Body, group: string, filled = false): number[] {
  const pattern = new RegExp(`^${group}-(\\d{1,2})-`);
  const indexes = new Set<number>();
  for (const [key, value] of Object.entries(body)) {
    const match = pattern.exec(key);
    if (match?.[1] && (!filled || value)) indexes.add(Number(match[1]));
  }
  return [...indexes];
}

/** The rows of a repeating group, in index order, with `dates` gathered from their parts. */
export function rowsFrom(body: Body, group: string, fields: readonly string[], dates: readonly string[] = []): Array<Record<string, string>> {
  const indexes = rowIndexes(body, group);
  const count = indexes.length ? Math.max(...indexes) + 1 : 0;
  return Array.from({ length: count }, (_, index) => {
    const row: Record<string, string> = {};
    for (const field of fields) row[field] = text(body, `${group}-${String(index)}-${field}`);
    for (const field of dates) row[field] = dateFrom(body, `${group}-${String(index)}-${field}`);
    return row;
  });
}

export function listFrom(body: Body, key: string): string[] {
  const value = body[key];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

/** A GOV.UK date input: empty is allowed unless required; anything given must be a real date, not in the future. */
export function formDate(label: string, today: () => string, options: { required?: boolean } = {}) {
  const Label = capitalise(label);
  return z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      if (value === '') {
        if (options.required) ctx.addIssue({ code: 'custom', message: `Enter ${label}` });
        return;
      }
      if (value === 'incomplete') ctx.addIssue({ code: 'custom', message: `${Label} must include a day, month and year` });
      else if (value === 'invalid' || !isRealDate(value)) ctx.addIssue({ code: 'custom', message: `${Label} must be a real date` });
      else if (value > today()) ctx.addIssue({ code: 'custom', message: `${Label} must be today or in the past` });
      else if (value < '1900-01-01') ctx.addIssue({ code: 'custom', message: `${Label} must be after 1900` });
    })
    .transform((value) => (value === '' ? null : value));
}

export type PageResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FormErrors };

/**
 * Runs a page schema. The error summary follows the page's order, and errors on a date field link to its day box,
 * as the GOV.UK date input pattern asks.
 */
export function runPage<S extends z.ZodType>(schema: S, input: unknown, dateFields: (field: string) => boolean = () => false): PageResult<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors = formErrorsFrom(parsed.error, fieldOrderOf(schema));
  const summary = errors.summary.map((item) => (dateFields(item.href.slice(1)) ? { ...item, href: `${item.href}-day` } : item));
  return { ok: false, errors: { ...errors, summary } };
}
