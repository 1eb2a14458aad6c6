/** Reporting periods: calendar months (YYYY-MM) and the quarters they fall in. Dates are the UTC ISO strings stored. */

export type Granularity = 'month' | 'quarter';

export interface Period {
  readonly key: string;
  readonly label: string;
  readonly months: readonly string[];
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function addMonths(month: string, count: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, index - 1 + count, 1));
  return monthOf(date);
}

export function monthLabel(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[index - 1] ?? ''} ${String(year)}`;
}

/** How many months from `from` to `to`, both included (0 when `to` is before `from`). */
export function monthCount(from: string, to: string): number {
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return Math.max(0, (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1);
}

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

function quarterStart(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return `${String(year)}-${String(Math.floor((index - 1) / 3) * 3 + 1).padStart(2, '0')}`;
}

/** Quarters cover whole quarters: the range is widened to the first and last quarter it touches. */
export function periodsOf(from: string, to: string, granularity: Granularity): Period[] {
  if (granularity === 'month') return monthsBetween(from, to).map((month) => ({ key: month, label: monthLabel(month), months: [month] }));
  const periods: Period[] = [];
  for (let start = quarterStart(from); start <= to; start = addMonths(start, 3)) {
    const months = [start, addMonths(start, 1), addMonths(start, 2)];
    periods.push({ key: `${start.slice(0, 4)}-Q${String(Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1)}`, label: `${monthLabel(start).slice(0, 3)} to ${monthLabel(addMonths(start, 2))}`, months });
  }
  return periods;
}

/** The first instant of a month and of the month after another, for range queries on ISO timestamps. */
export function rangeOf(periods: readonly Period[]): { readonly since: string; readonly until: string } {
  const first = periods[0]?.months[0] ?? '1970-01';
  const last = periods.at(-1)?.months.at(-1) ?? first;
  return { since: `${first}-01T00:00:00.000Z`, until: `${addMonths(last, 1)}-01T00:00:00.000Z` };
}
