import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { up as reinviteEnabledWithoutPassword } from './migrations/2026-12-07-0052-reinvite-enabled-without-password.js';

describe('migration 0052: accounts enabled before their invitation was accepted', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const statuses = () => platform.services.db.kysely.selectFrom('users').select(['email_index', 'status']).orderBy('email_index').execute();

  it('are waiting for their invitation again; every account with a password keeps its status', async () => {
    const before = await statuses();
    const [stuck] = before;
    if (!stuck) throw new Error('no accounts');
    // As the earlier "enable" left one: active, never given a password.
    await platform.services.db.kysely.updateTable('users').set({ status: 'active', password_hash: null }).where('email_index', '=', stuck.email_index).execute();

    await reinviteEnabledWithoutPassword(platform.services.db.kysely);
    expect(await statuses()).toEqual(before.map((row) => (row.email_index === stuck.email_index ? { ...row, status: 'invited' } : row)));
  });
});
