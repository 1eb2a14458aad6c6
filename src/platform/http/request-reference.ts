import { pooledRandomBytes } from '../crypto/random-pool.js';

/** No vowels (no accidental words), no 0/O or 1/I: easy to read out on the phone. */
const ALPHABET = '23456789BCDFGHJKLMNPQRSTVWXYZ';

/**
 * Every request's id, shown as the reference on an error page and written on its log lines and audit events.
 * Random rather than counted: a counter started again at 1 in every process, so the same reference stood for many
 * requests. Among 29^8 values a repeat is rare, and the log line's time tells the two apart.
 */
export function newRequestReference(): string {
  const bytes = pooledRandomBytes(8);
  let reference = '';
  for (const [index, byte] of bytes.entries()) reference += (index === 4 ? '-' : '') + ALPHABET.charAt(byte % ALPHABET.length);
  return reference;
}
