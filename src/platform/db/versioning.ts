import { z } from 'zod';

/** Raised when someone saves a record that another person changed since they loaded it. */
export class StaleVersionError extends Error {
  constructor(readonly recordType: string) {
    super(`This ${recordType} was changed by someone else while you were editing it. Reload it and make your change again.`);
  }
}

/** Throws when an optimistic update touched no row because the version had moved on. */
export function assertUpdated(result: { numUpdatedRows: bigint }, recordType: string): void {
  if (result.numUpdatedRows === 0n) throw new StaleVersionError(recordType);
}

/** The highest version a form may name: a save writes one more, and that must still fit PostgreSQL's `integer`. */
const HIGHEST_VERSION = 2_147_483_646;
const OUT_OF_DATE = 'The form is out of date: reload the page and try again';

/**
 * The version of the record a form was loaded with, sent back with the form. Anything else (empty, a fraction,
 * a number no row can reach) is refused here as out of date, before it can reach the database.
 */
export const formVersion = z.coerce
  .string({ error: OUT_OF_DATE })
  .trim()
  .regex(/^[1-9]\d{0,9}$/, OUT_OF_DATE)
  .transform(Number)
  .refine((version) => version <= HIGHEST_VERSION, OUT_OF_DATE);
