import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Thrown inside `transactionOr` to undo everything the transaction wrote and answer `answer` instead. */
export class Undo<T> extends Error {
  constructor(readonly answer: T) {
    super('transaction undone');
  }
}

/**
 * A transaction that can end in an ordinary answer rather than an error: a conditional write that finds another
 * request got there first throws `new Undo(answer)`, and what was written before it is rolled back.
 */
export async function transactionOr<T>(kysely: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await kysely.transaction().execute(work);
  } catch (error) {
    if (error instanceof Undo) return error.answer as T;
    throw error;
  }
}
