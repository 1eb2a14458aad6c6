import { ENGLAND_BANK_HOLIDAYS } from './bank-holidays.js';
import { londonParts, londonToUtc } from '../../../platform/time/london.js';

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
 * A moment `days` working days after `from`, at the same UK clock time. Working days are Monday to Friday except
 * bank holidays (England's, from seed/bank-holidays-england.json, unless another list is given), counted on UK
 * calendar days: a referral made at 00:30 on a summer Monday was made on Monday, though it is still Sunday in UTC.
 */
export function addWorkingDays(from: Date, days: number, holidays: ReadonlySet<string> = ENGLAND_BANK_HOLIDAYS): Date {
  const clock = londonParts(from);
  const day = new Date(Date.UTC(clock.year, clock.month - 1, clock.day));
  let left = days;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(isoDay(day))) left -= 1;
  }
  const due = londonToUtc({ ...clock, year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() });
  return new Date(due.getTime() + (from.getTime() % 60_000));
}
