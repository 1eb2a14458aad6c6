import { ENGLAND_BANK_HOLIDAYS } from './bank-holidays.js';

/** Calendar helpers for rule windows, on UTC dates written YYYY-MM-DD (strings compare in date order). */

export function isoDay(value: Date | string): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString().slice(0, 10);
}

/** The same calendar day `months` months earlier; the 31st falls back to the month's last day. */
export function monthsBefore(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return isoDay(target);
}

export function dayBefore(day: string): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000));
}

/** `day` falls within the `months` months up to and including `until`. */
export function withinMonths(day: string, until: string, months: number): boolean {
  return day <= until && day >= monthsBefore(until, months);
}

/**
 * A moment `days` working days after `from`, at the same time of day. Working days are Monday to Friday except
 * bank holidays (England's, from seed/bank-holidays-england.json, unless another list is given).
 */
export function addWorkingDays(from: Date, days: number, holidays: ReadonlySet<string> = ENGLAND_BANK_HOLIDAYS): Date {
  const result = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    result.setUTCDate(result.getUTCDate() + 1);
    const weekday = result.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(isoDay(result))) left -= 1;
  }
  return result;
}
