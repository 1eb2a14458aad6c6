import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { up as addLocalPlaceNames } from './migrations/2026-12-05-0039-local-place-names.js';

describe('migration 0039: local place names for areas seeded before them', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  const swale = () => platform.services.db.kysely.selectFrom('areas').select(['towns', 'version']).where('code', '=', 'swale').executeTakeFirstOrThrow();

  it('adds the names an area lacks, keeps what an administrator added, and changes nothing when run again', async () => {
    await platform.services.db.kysely.updateTable('areas').set({ towns: 'Sittingbourne;Faversham;Sheerness;Minster;Queenborough;Eastchurch;Warden;leysdown', version: 3 }).where('code', '=', 'swale').execute();
    await addLocalPlaceNames(platform.services.db.kysely);
    expect(await swale()).toEqual({ towns: 'Sittingbourne;Faversham;Sheerness;Minster;Queenborough;Eastchurch;Warden;leysdown;Isle of Sheppey;Sheppey', version: 4 });
    await addLocalPlaceNames(platform.services.db.kysely);
    expect((await swale()).version).toBe(4);
  });
});
