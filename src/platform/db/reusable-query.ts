import { createHash } from 'node:crypto';
import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** SQL of the reusable queries, by the name PostgreSQL keeps each one prepared under on every connection. */
const preparedNames = new Map<string, string>();

/**
 * The name to prepare this SQL under, when it is a reusable query's: PostgreSQL then parses and plans it once per
 * connection rather than on every request. Other SQL is sent as it is (kept prepared, its many shapes would grow
 * every connection's memory).
 */
export function preparedNameOf(sql: string): string | undefined {
  return preparedNames.get(sql);
}

/**
 * A query run on every request, built and compiled once: Kysely's builder and compiler cost several times what
 * the database spends on a lookup by key. Each run sends the same SQL with its own parameters, in the order the
 * builder placed them (the values given at build time only show where they go).
 */
export function reusableQuery<Row>(kysely: Kysely<Database>, query: Compilable<Row>): (...parameters: readonly unknown[]) => Promise<Row[]> {
  const compiled = query.compile();
  preparedNames.set(compiled.sql, `reusable_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 32)}`);
  return async (...parameters) => {
    if (parameters.length !== compiled.parameters.length) {
      throw new Error(`Query expects ${String(compiled.parameters.length)} parameters, got ${String(parameters.length)}`);
    }
    return (await kysely.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
