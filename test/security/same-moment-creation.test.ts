import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserRowByEmail, toActor } from '../../src/platform/access/users.js';
import type { Actor } from '../../src/platform/access/policy.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * Two people making the same thing at the same moment (two administrators, two tabs, two instances): one is made,
 * and the other is told why in the words the form uses when the thing already exists, never an error page.
 * On SQLite one write runs at a time, so the second always meets the first at the check; on PostgreSQL the second
 * can pass the check and meet the first at the unique index.
 */
describe('the same record made twice at the same moment', () => {
  let platform: TestPlatform;
  const origin = { ip: '198.51.100.90', requestId: 'test' };
  const actorFor = async (email: string): Promise<Actor> => {
    const row = await findUserRowByEmail(platform.services.db.kysely, platform.services.crypto, email);
    if (!row) throw new Error(`no ${email}`);
    return toActor(row);
  };
  const settled = async <T>(attempts: ReadonlyArray<Promise<T>>) => {
    const outcomes = await Promise.allSettled(attempts);
    return {
      made: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
      refusals: outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as { message?: string; field?: string; statusCode?: number }] : [])),
    };
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('invites one person once, and tells the second administrator the account exists', async () => {
    const admin = await actorFor('admin@demo.invalid');
    const organisationId = admin.organisationId;
    const invite = () => platform.services.admin.invite(admin, { name: 'Same Moment Person (synthetic)', email: 'same.moment@demo.invalid', organisationId, roles: ['practitioner'] }, origin);
    const { made, refusals } = await settled([invite(), invite(), invite()]);
    expect(made).toBe(1);
    expect(refusals.map((refusal) => [refusal.field, refusal.message])).toEqual([
      ['email', 'There is already an account with this email address'],
      ['email', 'There is already an account with this email address'],
    ]);
  });

  it('makes one organisation of a short name, and tells the second administrator it is taken', async () => {
    const admin = await actorFor('admin@demo.invalid');
    const create = (name: string) => platform.services.reference.createOrganisation(admin, { slug: 'same-moment-trust', name, kind: 'nhs', areaCode: null, active: true }, origin);
    const { made, refusals } = await settled([create('Same Moment Trust A (synthetic)'), create('Same Moment Trust B (synthetic)')]);
    expect(made).toBe(1);
    expect(refusals.map((refusal) => [refusal.field, refusal.statusCode])).toEqual([['slug', 409]]);
  });

  it('makes one content page at an address, and tells the second editor there is one', async () => {
    const editor = await actorFor('officer@demo.invalid');
    const create = () => platform.services.support.pages.create(editor, { slug: 'same-moment-page', lang: 'en', section: 'help' }, origin);
    const { made, refusals } = await settled([create(), create()]);
    expect(made).toBe(1);
    expect(refusals.map((refusal) => [refusal.statusCode, refusal.message])).toEqual([[409, 'There is already a page at /same-moment-page in English.']]);
  });
});
