import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobNow } from '../../../jobs.js';
import { captureLog } from '../../../../test/support/capture-log.js';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn } from '../../../../test/support/visitor.js';
import { formAnswers } from '../test-support/journey.js';

const DAY = 24 * 60 * 60 * 1000;

describe('abandoned draft referrals', () => {
  let platform: TestPlatform;
  let now = new Date('2026-11-02T09:00:00Z');
  beforeAll(async () => {
    platform = await createTestPlatform({ clock: () => now });
  });
  afterAll(() => platform.close());

  async function startDraft(visitor: Awaited<ReturnType<typeof signIn>>): Promise<string> {
    await visitor.get('/app/referrals/new');
    const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    await visitor.post(`${draft}/person`, formAnswers()['person'] ?? {});
    return draft.split('/').at(-1) ?? '';
  }

  it('are deleted 30 days after they were last saved, each deletion audited, and the drafts page says so', async () => {
    const visitor = await signIn(platform, 'practitioner@demo.invalid', now);
    const abandoned = await startDraft(visitor);
    now = new Date(now.getTime() + 20 * DAY);
    const again = await signIn(platform, 'practitioner@demo.invalid', now);
    const recent = await startDraft(again);
    expect((await again.get('/app/referrals')).body).toContain('Drafts are kept for 30 days after they were last saved, then deleted.');

    now = new Date(now.getTime() + 11 * DAY);
    expect(await runJobNow(platform.services, 'referrals.expire-drafts', captureLog('silent').logger)).toMatchObject({ ran: true, outcome: 'ok' });

    const left = await platform.services.db.kysely.selectFrom('referral_drafts').select('id').where('id', 'in', [abandoned, recent]).execute();
    expect(left.map((row) => row.id)).toEqual([recent]);
    const events = await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'record_id', 'details']).where('action', '=', 'REFERRAL_DRAFT_EXPIRED').execute();
    expect(events.map((event) => event.record_id)).toEqual([abandoned]);
    expect(events[0]?.details).toContain('"keptDays":30');
    expect(await platform.services.audit.verify()).toMatchObject({ ok: true });
  });
});
