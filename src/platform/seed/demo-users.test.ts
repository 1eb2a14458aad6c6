import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { sql } from 'kysely';
import { seedDemo } from '../../bootstrap.js';
import { DEMO_PERSONAS, demoDataPresent } from './demo-users.js';

describe('demo sign-ins in a database', () => {
  let demo: TestPlatform;
  let clean: TestPlatform;
  beforeAll(async () => {
    [demo, clean] = await Promise.all([createTestPlatform(), createTestPlatform({ demo: false })]);
  });
  afterAll(() => Promise.all([demo.close(), clean.close()]));

  it('are found, every one, so production can refuse the database', async () => {
    expect(await demoDataPresent(demo.services)).toEqual([...DEMO_PERSONAS.map((persona) => persona.email), 'the audit trail records that the demo was seeded']);
  });

  it('are not found in a database that never ran the demo', async () => {
    expect(await demoDataPresent(clean.services)).toEqual([]);
  });

  it('are recognised by the audit trail’s mark when the sign-ins cannot be read (a demo database opened with new keys)', async () => {
    await demo.services.db.kysely.updateTable('users').set({ email_index: sql<string>`'not-under-this-key-' || id` }).execute();
    expect(await demoDataPresent(demo.services)).toEqual(['the audit trail records that the demo was seeded']);
  });

  it.runIf(process.env['DATABASE_URL'])('are seeded once when two instances seed at the same moment (needs PostgreSQL: instances share a server)', async () => {
    const fresh = await createTestPlatform({ demo: false });
    try {
      await Promise.all([seedDemo(fresh.services), seedDemo(fresh.services)]);
      const { rows } = await sql<{ n: string }>`select count(*) as n from users`.execute(fresh.services.db.kysely);
      expect(Number(rows[0]?.n)).toBe(DEMO_PERSONAS.length);
    } finally {
      await fresh.close();
    }
  });
});
