import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { emailIndex, USER_EMAIL_INDEX } from '../access/users.js';
import { RECOVERY_CODE_INDEX, replaceRecoveryCodes, spendRecoveryCode } from '../auth/recovery-codes.js';
import { newId } from '../db/ids.js';
import { FieldCrypto } from './field-crypto.js';
import { loadKeyMaterial } from './keys.js';
import { reindexAll } from './rotation.js';

describe('working blind indexes out again under a new key', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  it('names two accounts for one address made under different keys mid-rotation, and carries on with the rest', async () => {
    const { db, crypto, reference } = platform.services;
    const material = loadKeyMaterial(platform.config);
    const next = new FieldCrypto({ ...material, blindIndexKeys: [randomBytes(32), ...material.blindIndexKeys] });
    const organisation = await reference.getOrganisationBySlug('kent-police');
    const account = (email: string, indexer: FieldCrypto) => ({
      id: newId(),
      organisation_id: organisation?.id ?? '',
      email_index: emailIndex(indexer, email),
      email_enc: crypto.encrypt(email),
      name_enc: crypto.encrypt('Synthetic Duplicate'),
      phone_enc: null,
      roles: '["practitioner"]',
      status: 'invited' as const,
      password_hash: null,
      totp_secret_enc: null,
      totp_last_step: null,
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    // One instance still indexing with the old key, another already with the new one, at the same moment.
    const old = account('twice@demo.invalid', crypto);
    const fresh = account('twice@demo.invalid', next);
    const other = account('once@demo.invalid', crypto);
    await db.kysely.insertInto('users').values([old, fresh, other]).execute();

    const [result] = await reindexAll(db, next, [USER_EMAIL_INDEX]);
    expect(result?.unreadable).toEqual([`users where id = ${old.id}: another row has the same email_index (a duplicate to resolve)`]);
    const moved = await db.kysely.selectFrom('users').select('email_index').where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(moved.email_index).toBe(emailIndex(next, 'once@demo.invalid'));
  });

  it('keeps recovery codes usable when their blind index moves to a new key, and keeps them out of reach of the database alone', async () => {
    const { db, crypto, reference, clock } = platform.services;
    const material = loadKeyMaterial(platform.config);
    const onlyNewKey = new FieldCrypto({ ...material, blindIndexKeys: [randomBytes(32)] });
    const organisation = await reference.getOrganisationBySlug('kent-police');
    const userId = newId();
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('users')
      .values({ id: userId, organisation_id: organisation?.id ?? '', email_index: emailIndex(crypto, 'codes@demo.invalid'), email_enc: crypto.encrypt('codes@demo.invalid'), name_enc: crypto.encrypt('Synthetic Codes'), phone_enc: null, roles: '["practitioner"]', status: 'active', password_hash: null, totp_secret_enc: null, totp_last_step: null, version: 1, created_at: now, updated_at: now })
      .execute();
    const codes = await replaceRecoveryCodes(db.kysely, crypto, userId);
    const stored = await db.kysely.selectFrom('recovery_codes').selectAll().where('user_id', '=', userId).execute();
    const plainHashes = codes.map((code) => createHash('sha256').update(code).digest('base64url'));
    for (const row of stored) {
      expect(codes.some((code) => row.code_enc.includes(code) || row.code_index.includes(code))).toBe(false);
      expect(plainHashes).not.toContain(row.code_index);
    }
    const [first = '', second = ''] = codes;
    expect(await spendRecoveryCode(db.kysely, onlyNewKey, userId, first, clock)).toBe(false);

    const [result] = await reindexAll(db, onlyNewKey, [RECOVERY_CODE_INDEX]);
    expect(result).toMatchObject({ rewritten: 10, unreadable: [] });
    // Typed as read off paper: lower case, without the dash.
    expect(await spendRecoveryCode(db.kysely, onlyNewKey, userId, second.toLowerCase().replace('-', ''), clock)).toBe(true);
    expect(await spendRecoveryCode(db.kysely, onlyNewKey, userId, second, clock)).toBe(false);
    expect(await spendRecoveryCode(db.kysely, crypto, userId, first, clock)).toBe(false);
  });
});
