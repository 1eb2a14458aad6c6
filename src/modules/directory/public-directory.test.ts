import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { createPublicDirectoryCache } from './public-directory.js';
import { bumpGeneration } from './repository/published.js';

describe('the published directory in memory', () => {
  let platform: TestPlatform;
  let now = new Date('2026-11-25T10:00:00Z');
  const clock = () => now;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('refreshes after five minutes behind the answer: the reader gets the directory in hand, the next one the fresh copy', async () => {
    const cache = createPublicDirectoryCache(platform.services.db, clock);
    const first = await cache.current();
    expect(first.services.length).toBeGreaterThan(0);
    now = new Date(now.getTime() + 2_000);
    expect(await cache.current()).toBe(first);

    now = new Date(now.getTime() + 5 * 60_000);
    expect(await cache.current()).toBe(first);
    // The refresh started by that read finishes, and a later check finds it.
    now = new Date(now.getTime() + 2_000);
    const refreshed = await waitFor(async () => {
      const directory = await cache.current();
      return directory === first ? undefined : directory;
    });
    expect(refreshed.generation).toBe(first.generation);
    expect(refreshed.services.map((service) => service.id)).toEqual(first.services.map((service) => service.id));
  });

  it('shows what another instance published on the first read after a quiet spell, not a copy from before it', async () => {
    const here = createPublicDirectoryCache(platform.services.db, clock);
    const before = await here.current();
    // Another instance publishes (it moves the shared generation in the same transaction as its change).
    await bumpGeneration(platform.services.db.kysely);
    now = new Date(now.getTime() + 60_000);
    expect((await here.current()).generation).toBe(before.generation + 1);
  });

  it('answers from a copy confirmed in the last three seconds, looking again behind the answer once it is a second old', async () => {
    const here = createPublicDirectoryCache(platform.services.db, clock);
    const confirmed = await here.current();
    await bumpGeneration(platform.services.db.kysely);
    now = new Date(now.getTime() + 900);
    expect(await here.current()).toBe(confirmed);
    now = new Date(now.getTime() + 1100);
    expect(await here.current()).toBe(confirmed);
    const seen = await waitFor(async () => {
      const directory = await here.current();
      return directory === confirmed ? undefined : directory;
    });
    expect(seen.generation).toBe(confirmed.generation + 1);

    await bumpGeneration(platform.services.db.kysely);
    now = new Date(now.getTime() + 3000);
    expect((await here.current()).generation).toBe(confirmed.generation + 2);
  });
});

/** Polls an answer until it is ready (a background load on a real database), failing after a few seconds. */
async function waitFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise<void>((resolve) => {
      setTimeout(resolve, 10);
    });
  }
  throw new Error('The refreshed directory never arrived.');
}
