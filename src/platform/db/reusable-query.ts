import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A query run on every request, built and compiled once: Kysely's builder and compiler cost several times what
 * the database spends on a lookup by key. Each run sends the same SQL with its own parameters, in the order the
 * builder placed them (the values given at build time only show where they go).
 */
export function reusableQuery<Row>(kysely: Kysely<Database>, query: Compilable<Row>): (...parameters: readonly unknown[]) => Promise<Row[]> {
  const compiled = query.compile();
  return async (...parameters) => {
    if (parameters.length !== compiled.parameters.length) {
      throw new Error(`Query expects ${String(compiled.parameters.length)} parameters, got ${String(parameters.length)}`);
    }
    return (await kysely.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
