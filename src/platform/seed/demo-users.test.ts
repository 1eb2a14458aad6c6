import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { DEMO_PERSONAS, demoSignInsPresent } from './demo-users.js';

describe('demo sign-ins in a database', () => {
  let demo: TestPlatform;
  let clean: TestPlatform;
  beforeAll(async () => {
    [demo, clean] = await Promise.all([createTestPlatform(), createTestPlatform({ demo: false })]);
  });
  afterAll(() => Promise.all([demo.close(), clean.close()]));

  it('are found, every one, so production can refuse the database', async () => {
    expect(await demoSignInsPresent(demo.services)).toEqual(DEMO_PERSONAS.map((persona) => persona.email));
  });

  it('are not found in a database that never ran the demo', async () => {
    expect(await demoSignInsPresent(clean.services)).toEqual([]);
  });
});
