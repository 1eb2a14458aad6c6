import { sql, type DeleteQueryBuilder, type DeleteResult, type InsertQueryBuilder, type InsertResult, type QueryCreator, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/** One statement's worth of writing, made on whatever query creator it is given (a transaction, or a WITH clause). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- builders of different tables in one list; Kysely's table parameter is invariant
export type RowWrite = (creator: QueryCreator<Database>) => InsertQueryBuilder<Database, any, InsertResult> | DeleteQueryBuilder<Database, any, DeleteResult>;

const clauseName = (index: number) => `write_${String(index)}`;

/**
 * The writes as data-modifying WITH clauses, ahead of whatever statement the creator then makes. Each returns a
 * row per row written, so that statement can wait for them with `afterWrites`.
 */
export function withWrites(creator: QueryCreator<Database>, writes: readonly RowWrite[]): QueryCreator<Database> {
  // Nothing reads the WITH clauses' rows by their types, so the creator keeps the plain database type.
  return writes.reduce<QueryCreator<Database>>(
    // Insert and delete builders both take returning(); one of them stands for both here.
    (query, write, index) => query.with(clauseName(index), (clause) => (write(clause) as InsertQueryBuilder<Database, 'referrals', InsertResult>).returning(sql<number>`1`.as('written'))) as unknown as QueryCreator<Database>,
    creator,
  );
}

/**
 * A condition that is always true but reads every write's WITH clause, so PostgreSQL makes those writes (and takes
 * their rows' locks) before it evaluates it. The order of WITH clauses is otherwise unspecified, and two statements
 * that lock the same rows in different orders can deadlock.
 */
export function afterWrites(writes: readonly RowWrite[]): RawBuilder<boolean> {
  if (writes.length === 0) return sql<boolean>`true`;
  return sql<boolean>`${sql.join(writes.map((_, index) => sql`(select count(*) from ${sql.table(clauseName(index))})`), sql` + `)} >= 0`;
}
