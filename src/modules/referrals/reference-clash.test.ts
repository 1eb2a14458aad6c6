import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { apiBodyToInput, apiReferralSchema } from './api/schemas.js';
import { londonDay } from '../../platform/time/london.js';
import { createReferralService } from './service.js';
import { apiBody } from './test-support/bodies.js';

const ORIGIN = { ip: '127.0.0.1', requestId: 'test' };

describe('a new referral whose reference is already taken', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  it('is written again with another reference, and the clash leaves nothing behind', async () => {
    const { services } = platform;
    const schema = apiReferralSchema(() => londonDay(services.clock()), new Set((await services.referrals.districts()).map((district) => district.code)));
    const input = () => apiBodyToInput(schema.parse(apiBody()));
    const { id: organisationId } = await services.db.kysely.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
    const submitter = { kind: 'api', organisationId, apiKeyId: 'test-key' } as const;

    const first = await services.referrals.submit(submitter, input(), ORIGIN);
    const offered = [first.reference, first.reference, 'R-2345-6789'];
    const clashing = createReferralService({ db: services.db, crypto: services.crypto, audit: services.audit, rules: services.routingRules, reference: services.reference, clock: services.clock, referenceNumbers: () => offered.shift() ?? 'R-none' });
    const count = async () => Number((await services.db.kysely.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();

    const second = await clashing.submit(submitter, input(), ORIGIN);
    expect(second.reference).toBe('R-2345-6789');
    expect(offered).toEqual([]);
    expect(await count()).toBe(before + 1);
    expect(await services.audit.verify()).toMatchObject({ ok: true });
  });
});
