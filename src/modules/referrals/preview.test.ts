import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { newId } from '../../platform/db/ids.js';
import { auditEvents, sendReferral, syntheticInput } from './inbox/testing.js';

describe('what sending would do, shown before sending', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('writes no referral, and audits the earlier referrals of the same people it read, so a search for one finds it', async () => {
    const earlierId = await sendReferral(platform, { district: 'thanet', yes: 15, name: 'Previewed' });
    const practitioner = await platform.services.users.findByEmail('practitioner@demo.invalid');
    if (!practitioner) throw new Error('demo practitioner missing');
    const count = async () => Number((await platform.services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const draftId = newId();
    await platform.services.referrals.preview({ kind: 'user', userId: practitioner.id, organisationId: practitioner.organisationId }, syntheticInput({ district: 'thanet', yes: 3, name: 'Previewed' }), draftId, { ip: '127.0.0.1', requestId: 'test' });
    expect(await count()).toBe(before);
    const [event] = (await auditEvents(platform, 'REFERRAL_ROUTING_PREVIEWED')).slice(-1);
    expect(event).toMatchObject({ record_id: draftId });
    expect(String((JSON.parse(event?.details ?? '{}') as Record<string, unknown>)['referralIds'])).toContain(earlierId);
  });
});
