import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../test/support/visitor.js';
import { fillReferral, formAnswers, sendDraft } from './test-support/journey.js';

describe('the language a person needs an interpreter in', () => {
  let platform: TestPlatform;
  let practitioner: Visitor;
  let referralId: string;
  const stored = () => platform.services.db.kysely.selectFrom('referrals').select(['interpreter_language', 'interpreter_language_enc']).where('id', '=', referralId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    platform = await createTestPlatform();
    practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const answers = formAnswers({ person: { lastName: 'Interpreter-Xray' }, 'safe-contact': { safeToContact: 'yes', phone: '07700 900322', mayLeaveMessage: 'no', interpreterLanguage: 'Zqlanguage (synthetic)' } });
    referralId = String((await sendDraft(practitioner, await fillReferral(practitioner, answers))).headers.location).split('/')[3] ?? '';
  });
  afterAll(() => platform.close());

  it('is kept encrypted, and shown to those who may see the referral', async () => {
    const row = await stored();
    expect(row.interpreter_language).toBeNull();
    expect(row.interpreter_language_enc).toMatch(/^e1:/);
    expect(row.interpreter_language_enc).not.toContain('Zqlanguage');
    expect((await practitioner.get(`/app/referrals/${referralId}`)).body).toContain('Zqlanguage (synthetic)');
  });

  it('is encrypted, as the service starts, where an earlier release kept it in plain text', async () => {
    await platform.services.db.kysely.updateTable('referrals').set({ interpreter_language: 'Older plain language (synthetic)', interpreter_language_enc: null }).where('id', '=', referralId).execute();
    expect(await platform.services.referrals.encryptPlainInterpreterLanguages()).toBe(1);
    const row = await stored();
    expect(row.interpreter_language).toBeNull();
    expect(platform.services.crypto.decrypt(row.interpreter_language_enc ?? '')).toBe('Older plain language (synthetic)');
    expect((await practitioner.get(`/app/referrals/${referralId}`)).body).toContain('Older plain language (synthetic)');
    expect(await platform.services.referrals.encryptPlainInterpreterLanguages()).toBe(0);
  });
});
