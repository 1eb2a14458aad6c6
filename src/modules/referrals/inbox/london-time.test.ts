import { describe, expect, it } from 'vitest';
import { londonParts, londonToUtc } from './london-time.js';

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
});
