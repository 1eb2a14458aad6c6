import { z } from 'zod';
import { addMonths, monthCount } from './periods.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MAX_MONTHS = 36;
/** Beyond a year, monthly columns no longer fit a page: count by quarter. */
export const MAX_MONTHLY = 12;

/** The report's period filters (a GET form): a start and end month and whether to count by month or quarter. */
export function reportFilters(currentMonth: string) {
  const earliest = addMonths(currentMonth, -(MAX_MONTHS * 2 - 1));
  return z
    .object({
      from: z.string().regex(MONTH, 'Select the first month of the report').optional().default(addMonths(currentMonth, -5)),
      to: z.string().regex(MONTH, 'Select the last month of the report').optional().default(currentMonth),
      by: z.enum(['month', 'quarter'], { error: 'Select whether to count by month or by quarter' }).optional().default('month'),
    })
    .superRefine((filters, ctx) => {
      // Each month has its own message already when it is not one: the range cannot be weighed.
      if (!MONTH.test(filters.from) || !MONTH.test(filters.to)) return;
      if (filters.from > filters.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'The first month must be the same as or before the last month' });
      else if (monthCount(filters.from, filters.to) > MAX_MONTHS) ctx.addIssue({ code: 'custom', path: ['to'], message: `A report can cover up to ${String(MAX_MONTHS)} months. Choose a shorter period` });
      else if (filters.by === 'month' && monthCount(filters.from, filters.to) > MAX_MONTHLY) ctx.addIssue({ code: 'custom', path: ['by'], message: `Count by quarter for a period longer than ${String(MAX_MONTHLY)} months` });
      if (filters.to > currentMonth) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last month cannot be in the future' });
      if (filters.from < earliest) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Choose a first month in the last 6 years' });
    });
}
export type ReportFilters = z.infer<ReturnType<typeof reportFilters>>;
