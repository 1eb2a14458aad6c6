import { describe, expect, it } from 'vitest';
import { ENGLAND_BANK_HOLIDAYS } from '../rules/bank-holidays.js';
import { addWorkingDays } from '../rules/dates.js';

const at = (iso: string) => new Date(iso);

describe('first-contact targets in working days', () => {
  it('counts one working day from a Tuesday as the Wednesday, same time', () => {
    expect(addWorkingDays(at('2026-03-10T14:30:00Z'), 1).toISOString()).toBe('2026-03-11T14:30:00.000Z');
  });

  it('skips the weekend: one working day from Friday is Monday, three is Wednesday', () => {
    expect(addWorkingDays(at('2026-03-13T09:00:00Z'), 1).toISOString()).toBe('2026-03-16T09:00:00.000Z');
    expect(addWorkingDays(at('2026-03-13T09:00:00Z'), 3).toISOString()).toBe('2026-03-18T09:00:00.000Z');
  });

  it('skips England bank holidays: Easter 2026 (Good Friday 3 April, Easter Monday 6 April)', () => {
    // Thursday 2 April + 1 working day: Friday and Monday are bank holidays, so Tuesday 7 April.
    expect(addWorkingDays(at('2026-04-02T10:00:00Z'), 1).toISOString()).toBe('2026-04-07T10:00:00.000Z');
    // Christmas 2026: Friday 25th, Boxing Day substitute Monday 28th.
    expect(addWorkingDays(at('2026-12-24T16:00:00Z'), 1).toISOString()).toBe('2026-12-29T16:00:00.000Z');
  });

  it('counts UK days: just after midnight in summer time it is already the next day in England', () => {
    // 00:30 on Monday 25 May 2026 (a bank holiday) in England is still Sunday in UTC: due 00:30 on Tuesday 26 May.
    expect(addWorkingDays(at('2026-05-24T23:30:00Z'), 1).toISOString()).toBe('2026-05-25T23:30:00.000Z');
    // 00:30 on Sunday 7 June: due 00:30 on Monday 8 June, not Tuesday.
    expect(addWorkingDays(at('2026-06-06T23:30:00Z'), 1).toISOString()).toBe('2026-06-07T23:30:00.000Z');
  });

  it('keeps the UK clock time across a change of the clocks', () => {
    // 10:00 on Friday 27 March 2026 (GMT): due 10:00 on Monday 30 March, which is British Summer Time (09:00 UTC).
    expect(addWorkingDays(at('2026-03-27T10:00:00Z'), 1).toISOString()).toBe('2026-03-30T09:00:00.000Z');
  });

  it('reads the bank holiday list from seed data, substitute days included', () => {
    expect(ENGLAND_BANK_HOLIDAYS.has('2026-08-31')).toBe(true);
    expect(ENGLAND_BANK_HOLIDAYS.has('2027-12-27')).toBe(true);
    expect(ENGLAND_BANK_HOLIDAYS.has('2026-08-30')).toBe(false);
  });

  it('takes another list when given one (a partnership elsewhere in the UK)', () => {
    expect(addWorkingDays(at('2026-03-16T09:00:00Z'), 1, new Set(['2026-03-17'])).toISOString()).toBe('2026-03-18T09:00:00.000Z');
    expect(addWorkingDays(at('2026-04-02T10:00:00Z'), 1, new Set()).toISOString()).toBe('2026-04-03T10:00:00.000Z');
  });
});
