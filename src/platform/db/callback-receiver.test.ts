import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { down, up } from './migrations/2026-12-05-0040-callback-receiver.js';

describe('migration 0040: each stored call-back request keeps the organisation that received it', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('gives requests stored before it to the partner their service’s organisation is linked to', async () => {
    const db = platform.services.db.kysely;
    const published = await platform.services.directory.published.current();
    const service = published.services.find((candidate) => candidate.acceptsCallbacks);
    await platform.services.directory.callbacks.request(service?.id ?? '', { name: null, phone: '07700 900 456', safeTimes: ['weekend'], safeTimesDetail: null, leaveMessage: 'no', safeWord: null, notes: null }, { ip: '127.0.0.1', requestId: 'test' });
    const receiver = (await db.selectFrom('directory_callback_requests').select('organisation_id').executeTakeFirstOrThrow()).organisation_id;
    expect(receiver).not.toBeNull();

    await down(db);
    await up(db);
    const { rows } = await sql<{ organisation_id: string | null }>`select organisation_id from directory_callback_requests`.execute(db);
    expect(rows).toEqual([{ organisation_id: receiver }]);
  });
});
