import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, DIALECT, type TestPlatform } from '../../../test/support/platform.js';
import { reusableQuery } from './reusable-query.js';

describe('a query built once and run with each request’s own values', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(async () => {
    await platform.close();
  });

  const organisationNamed = (platform: TestPlatform) =>
    reusableQuery(platform.services.db.kysely, platform.services.db.kysely.selectFrom('organisations').select(['id', 'name']).where('name', '=', 'placeholder'));

  it('answers as the builder would with the values it is given, not the ones it was built with', async () => {
    const [first] = await platform.services.db.kysely.selectFrom('organisations').select(['id', 'name']).orderBy('name').limit(1).execute();
    if (!first) throw new Error('No seeded organisation');
    const byName = organisationNamed(platform);
    expect(await byName(first.name)).toEqual([first]);
    expect(await byName('placeholder')).toEqual([]);
    await expect(byName()).rejects.toThrow('Query expects 1 parameters, got 0');
  });

  it.runIf(DIALECT === 'postgres')('is kept prepared on the PostgreSQL connection that ran it, where other queries are not (PostgreSQL only)', async () => {
    const prepared = await platform.services.db.kysely.connection().execute(async (connection) => {
      await reusableQuery(connection, connection.selectFrom('organisations').select('id').where('name', '=', 'x'))('Nobody');
      await connection.selectFrom('organisations').select('name').where('id', '=', 'none').execute();
      return sql<{ statement: string }>`select statement from pg_prepared_statements where not from_sql`.execute(connection);
    });
    const statements = prepared.rows.map((row) => row.statement);
    expect(statements.some((statement) => statement.includes('select "id" from "organisations" where "name" = $1'))).toBe(true);
    expect(statements.some((statement) => statement.includes('select "name" from "organisations"'))).toBe(false);
  });
});
