import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Ends the transaction, undoing everything it wrote, and makes `answer` its result. */
export type Undo<U> = (answer: U) => never;

/**
 * A transaction that can end in an ordinary answer rather than an error: a conditional write that finds another
 * request got there first calls `undo(answer)`, and what was written before it is rolled back.
 */
export async function transactionOr<T, U>(kysely: Kysely<Database>, work: (trx: Transaction<Database>, undo: Undo<U>) => Promise<T>): Promise<T | U> {
  const undone: { answer?: U } = {};
  const signal = new Error('transaction undone');
  try {
    return await kysely.transaction().execute((trx) =>
      work(trx, (answer) => {
        undone.answer = answer;
        throw signal;
      }),
    );
  } catch (error) {
    if (error === signal) return undone.answer as U;
    throw error;
  }
}
