import { describe, expect, it } from 'vitest';
import { callbackForm } from '../modules/directory/callbacks/schemas.js';
import { phone } from '../modules/referrals/schemas.js';
import { normalisedPhone } from './phone-text.js';

/** A number pasted from a contact card with direction marks round it, typed on a full-width keyboard, with a non-breaking space. */
const PASTED = '\u200e０７７００\u00a0９００４５６\u200f';

describe('phone numbers as people paste and type them', () => {
  it('keeps the digits and drops the invisible marks', () => {
    expect(normalisedPhone(PASTED)).toBe('07700 900456');
    expect(normalisedPhone(' +44 (0)1632\u2009960 001 ')).toBe('+44 (0)1632 960 001');
  });

  it('is accepted on the public call-back form, and on a referral, as the plain number', () => {
    const callback = callbackForm.safeParse({ phone: PASTED, safeTimes: 'weekend', leaveMessage: 'no' });
    expect(callback.success && callback.data.phone).toBe('07700 900456');
    expect(phone('their phone number').parse(PASTED)).toBe('07700 900456');
  });

  it('still refuses what is not a phone number', () => {
    expect(callbackForm.safeParse({ phone: '\u200ecall me', safeTimes: 'weekend', leaveMessage: 'no' }).success).toBe(false);
    expect(phone('their phone number').safeParse('0770').success).toBe(false);
  });

  it('accepts a UK number written with its country code, however it is written', () => {
    for (const written of ['+44 (0)7700 900456', '0044 7700 900456', '+44 7700 900456']) expect(phone('their phone number').safeParse(written).success, written).toBe(true);
  });
});

describe('phone numbers that are far too long', () => {
  it('keeps one space where a run of them was typed or pasted', () => {
    expect(normalisedPhone(`01632${' '.repeat(100_000)}960001`)).toBe('01632 960001');
    expect(phone('their phone number').parse(`01632${' \t'.repeat(50)}960001`)).toBe('01632 960001');
  });

  it('keeps a number split over lines, as pasted from a signature or an address block, on one line', () => {
    expect(phone('their phone number').parse('01632\r\n960001')).toBe('01632 960001');
    const callback = callbackForm.safeParse({ phone: '07700\n900456\u2028', safeTimes: 'weekend', leaveMessage: 'no' });
    expect(callback.success && callback.data.phone).toBe('07700 900456');
  });

  it('refuses a referral phone longer than any number written out, saying how long it may be', () => {
    const result = phone('their phone number').safeParse(`(01632) 960-001${'-'.repeat(20)}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain('Their phone number must be 30 characters or fewer');
  });
});
