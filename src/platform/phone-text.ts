import { z } from 'zod';

/**
 * A phone number as typed, in the form it is checked and kept: digits from a full-width keyboard as plain digits,
 * and the invisible characters a number picks up when pasted from a contact card or a message (direction marks,
 * non-breaking and thin spaces, a line break from a copied address block) as nothing or a plain space, and a run of
 * spaces as one. Otherwise the person is told
 * their number has too few digits, and sending the same box again fails again.
 */
export function normalisedPhone(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '').replace(/\s+/gu, ' ').trim();
}

/** Longer than any number written out with its spaces, brackets and +44: more is not a phone number. */
export const PHONE_MAX_LENGTH = 30;

/** A string field holding a phone number: normalised before any rule about its digits is checked. */
export function phoneField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? normalisedPhone(value) : value), schema);
}

/**
 * A UK number's digits as dialled from within the UK: +44, 0044 or 44 in front read as the leading 0, and the "(0)"
 * often written after it dropped, so "+44 (0)7700 900201", "0044 7700 900201" and "07700 900201" are one number.
 */
export function ukDigits(text: string): string {
  const digits = text.replace(/^(\s*(?:\+|00)\s*44\s*)\(0\)/, '$1').replace(/\D/g, '');
  const afterCountryCode = digits.startsWith('0044') ? digits.slice(4) : digits.startsWith('44') && digits.length >= 11 && digits.length <= 13 ? digits.slice(2) : undefined;
  if (afterCountryCode === undefined) return digits;
  return afterCountryCode.startsWith('0') ? afterCountryCode : `0${afterCountryCode}`;
}
