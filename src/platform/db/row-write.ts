import type { DeleteQueryBuilder, DeleteResult, InsertQueryBuilder, InsertResult, QueryCreator } from 'kysely';
import type { Database } from './schema.js';

/** One statement's worth of writing, made on whatever query creator it is given (a transaction, or a WITH clause). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- builders of different tables in one list; Kysely's table parameter is invariant
export type RowWrite = (creator: QueryCreator<Database>) => InsertQueryBuilder<Database, any, InsertResult> | DeleteQueryBuilder<Database, any, DeleteResult>;

/** The writes as data-modifying WITH clauses, ahead of whatever statement the creator then makes. */
export function withWrites(creator: QueryCreator<Database>, writes: readonly RowWrite[]): QueryCreator<Database> {
  // Nothing reads the WITH clauses' rows, so the creator keeps the plain database type.
  return writes.reduce<QueryCreator<Database>>((query, write, index) => query.with(`write_${String(index)}`, write) as unknown as QueryCreator<Database>, creator);
}
