import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { londonDay } from '../../platform/time/london.js';
import { apiBodyToInput, apiReferralSchema } from './api/schemas.js';
import { apiBody } from './test-support/bodies.js';

const ORIGIN = { ip: '127.0.0.1', requestId: 'test' };

describe('the duplicate and repeat windows (12 months in Kent and Medway)', () => {
  let platform: TestPlatform;
  let now = new Date('2025-12-05T10:00:00.000Z');

  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false, clock: () => now });
  });
  afterAll(() => platform.close());

  async function send(person: Record<string, string>, change: Record<string, unknown> = {}) {
    const { services } = platform;
    const schema = apiReferralSchema(() => londonDay(services.clock()), new Set((await services.referrals.districts()).map((district) => district.code)));
    const { id: organisationId } = await services.db.kysely.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
    const body = apiBody({ person: { firstName: 'Test Person', dateOfBirth: '1990-04-01', ...person }, personCausingHarm: { firstName: 'Test Harm-Causer', lastName: person['lastName'] ?? '' }, ...change });
    return services.referrals.submit({ kind: 'api', organisationId, apiKeyId: 'test-key' }, apiBodyToInput(schema.parse(body)), ORIGIN);
  }

  it('warns of a referral made 12 months ago to the day, and not of one made the day before that', async () => {
    now = new Date('2025-12-05T10:00:00.000Z');
    await send({ lastName: 'Window-Oscar' });
    now = new Date('2025-12-06T10:00:00.000Z');
    await send({ lastName: 'Window-Papa' });

    now = new Date('2026-12-06T09:00:00.000Z');
    expect((await send({ lastName: 'Window-Oscar' })).recentReferral).toBeNull();
    expect((await send({ lastName: 'Window-Papa' })).recentReferral).toEqual({ contact: expect.any(String) as string });
  });

  it('counts as a repeat abuse within 12 months of a MARAC referral, though it is referred more than 12 months after it', async () => {
    now = new Date('2025-02-10T10:00:00.000Z');
    expect((await send({ lastName: 'Window-Quebec' }, { yes: 14 })).criteriaMet.map((criterion) => criterion.criterion)).toEqual(['visible_high_risk']);

    now = new Date('2026-03-16T10:00:00.000Z');
    const disclosedLate = await send({ lastName: 'Window-Quebec' }, { recentIncidentDates: ['2025-04-20'] });
    expect(disclosedLate.criteriaMet.map((criterion) => criterion.criterion)).toEqual(['repeat']);
    // Abuse before that referral, and abuse more than 12 months after it: neither is a repeat of it.
    const outsideTheWindow = await send({ lastName: 'Window-Quebec' }, { recentIncidentDates: ['2025-01-20', '2026-03-11'] });
    expect(outsideTheWindow.criteriaMet.map((criterion) => criterion.criterion)).toEqual([]);
    expect(outsideTheWindow.criteriaNotMet.find((criterion) => criterion.criterion === 'repeat')?.explanation).toContain('more than 12 months after it');
  });
});
