import { describe, expect, it } from 'vitest';
import { endOfLondonDay, londonDay, londonParts, londonToUtc, startOfLondonDay } from './london.js';

describe('London wall-clock times', () => {
  it('reads winter times as UTC and summer times as UTC+1', () => {
    expect(londonToUtc({ year: 2026, month: 1, day: 15, hour: 9, minute: 30 }).toISOString()).toBe('2026-01-15T09:30:00.000Z');
    expect(londonToUtc({ year: 2026, month: 7, day: 15, hour: 9, minute: 30 }).toISOString()).toBe('2026-07-15T08:30:00.000Z');
  });

  it('round-trips through londonParts, including just after midnight in summer', () => {
    const instant = new Date('2026-06-30T23:15:00Z');
    expect(londonParts(instant)).toEqual({ year: 2026, month: 7, day: 1, hour: 0, minute: 15 });
    expect(londonToUtc(londonParts(instant)).toISOString()).toBe(instant.toISOString());
  });

  it('gives an instant for the hour that does not exist when the clocks go forward', () => {
    expect(Number.isNaN(londonToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }).getTime())).toBe(false);
  });

  it('gives the UK calendar day, which in summer starts an hour before the UTC one', () => {
    expect(londonDay(new Date('2026-06-30T23:15:00Z'))).toBe('2026-07-01');
    expect(londonDay(new Date('2026-12-31T23:15:00Z'))).toBe('2026-12-31');
  });

  it('finds where a UK day starts and ends in UTC, in winter and in summer', () => {
    expect([startOfLondonDay('2026-01-15'), endOfLondonDay('2026-01-15')]).toEqual(['2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z']);
    expect([startOfLondonDay('2026-07-15'), endOfLondonDay('2026-07-15')]).toEqual(['2026-07-14T23:00:00.000Z', '2026-07-15T23:00:00.000Z']);
    // The day the clocks go forward is 23 hours long.
    expect([startOfLondonDay('2026-03-29'), endOfLondonDay('2026-03-29')]).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
  });
});
