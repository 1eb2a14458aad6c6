import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tamperWithAudit } from '../../../test/support/audit-tamper.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { openPlatform } from '../../bootstrap.js';
import { settleAuditKeying } from './keying.js';
import { keyFilePath, loadKeyMaterial } from '../crypto/keys.js';
import type { AuditEventTable } from './tables.js';
import { createAuditService, plainHashOf, sealEvent, unsealedNote, type AuditKey } from './service.js';

type Hashing = (row: Omit<AuditEventTable, 'hash'>) => string;

describe('the audit chain sealed with a key kept outside the database', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform({ demo: false });
    await Promise.all(Array.from({ length: 4 }, (_, step) => platform.services.audit.record({ action: 'REFERRAL_ROUTED', recordType: 'referral', recordId: 'sealed', details: { step } })));
  });
  afterEach(() => platform.close());

  const ourKey = (): AuditKey => {
    const [key] = loadKeyMaterial(platform.config).auditKeys;
    if (!key) throw new Error('The test platform has no audit key.');
    return key;
  };
  const lastSeq = async () => (await platform.services.db.kysely.selectFrom('audit_chain_head').select('seq').executeTakeFirstOrThrow()).seq;
  /** The audit service of a process whose key file (or AUDIT_UNSEALED_UNTIL) says the trail is sealed after `unsealedUntil`. */
  const serviceWith = (keys: readonly AuditKey[], unsealedUntil = 0) => createAuditService(platform.services.db, { keys, unsealedUntil });

  /**
   * What someone able to write to the database (and to lift its append-only guard) would do to hide an edit: change
   * an event, then work out every hash from it to the end again, and move the head to match.
   */
  async function rewriteFrom(seq: number, hashing: Hashing, edit: Partial<AuditEventTable> = {}): Promise<void> {
    const db = platform.services.db.kysely;
    await tamperWithAudit(platform.services.db, async () => {
      const before = await db.selectFrom('audit_events').select('hash').where('seq', '=', seq - 1).executeTakeFirst();
      let previous = before?.hash ?? '0'.repeat(64);
      const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
      for (const [index, row] of rows.entries()) {
        const { hash: _stored, ...content } = { ...row, ...(index === 0 ? edit : {}), prev_hash: previous };
        previous = hashing(content);
        await db.updateTable('audit_events').set({ ...content, hash: previous }).where('seq', '=', row.seq).execute();
      }
      await db.updateTable('audit_chain_head').set({ hash: previous }).where('id', '=', 1).execute();
    });
  }

  it('seals every event under the key, named by its id', async () => {
    const events = await platform.services.db.kysely.selectFrom('audit_events').select('hash').execute();
    expect(events.length).toBeGreaterThan(4);
    for (const event of events) expect(event.hash).toMatch(new RegExp(`^${ourKey().id}\\.[0-9a-f]{64}$`));
    expect(await platform.services.audit.verify()).toMatchObject({ ok: true, unsealed: 0, problems: [] });
  });

  it('finds an edit hidden by working out the plain hashes of the chain again, from any event or the first', async () => {
    const victim = (await lastSeq()) - 2;
    await rewriteFrom(victim, plainHashOf, { outcome: 'failure' });
    const result = await platform.services.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(`Event ${String(victim)} is not sealed with the audit key: it was written or rewritten outside the platform.`);

    // The whole trail made to look as if it were written before there was an audit key: the key file says it was not.
    await rewriteFrom(1, plainHashOf);
    const wholesale = await platform.services.audit.verify();
    expect(wholesale).toMatchObject({ ok: false, unsealed: 0 });
    expect(wholesale.problems[0]).toBe('Event 1 is not sealed with the audit key: it was written or rewritten outside the platform.');
  });

  it('finds an edit hidden by sealing the chain again under a key of the same name that is not ours', async () => {
    const victim = (await lastSeq()) - 2;
    const forged: AuditKey = { id: ourKey().id, key: randomBytes(32) };
    await rewriteFrom(victim, (row) => sealEvent(row, forged), { details: '{"step":99}' });
    const result = await platform.services.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(`Event ${String(victim)} has been edited since it was written.`);
  });

  it('names a key it does not hold rather than calling the event edited, and repeats back only a valid key id', async () => {
    const victim = await lastSeq();
    await rewriteFrom(victim, (row) => sealEvent(row, { id: 'k-elsewhere', key: randomBytes(32) }));
    expect((await platform.services.audit.verify()).problems).toEqual([`Event ${String(victim)} is sealed with audit key "k-elsewhere", which is not among the audit keys configured: if it is one of yours, add it back to check it.`]);
    await rewriteFrom(victim, (row) => `all is well\u001b[2J.${sealEvent(row, ourKey()).split('.')[1] ?? ''}`);
    expect((await platform.services.audit.verify()).problems).toEqual([`Event ${String(victim)} carries a seal without a valid key id: it was written outside the platform.`]);
  });

  it('checks the plain start of a trail older than its key as far as the record kept outside the database says, and no further', async () => {
    // The trail as the code from before the audit key wrote it: every event with a plain hash.
    await rewriteFrom(1, plainHashOf);
    const older = await lastSeq();
    const upgraded = serviceWith([ourKey()], older);
    const verified = await upgraded.verify();
    expect(verified).toMatchObject({ ok: true, unsealed: older, problems: [] });
    expect(unsealedNote(verified)).toBe(`Events 1 to ${String(older)} were written before the trail was sealed with an audit key, and checked by their plain hashes: until an event is sealed after them, only an anchor from the log shows that they were not rebuilt.`);

    // After the upgrade the chain goes on from the plain head, sealed.
    await upgraded.record({ action: 'SIGN_IN_FAILED', outcome: 'failure' });
    const newest = await platform.services.db.kysely.selectFrom('audit_events').select('hash').where('seq', '=', older + 1).executeTakeFirstOrThrow();
    expect(newest.hash.startsWith(`${ourKey().id}.`)).toBe(true);
    const sealedAfter = await upgraded.verify();
    expect(sealedAfter).toMatchObject({ ok: true, unsealed: older, checked: older + 1 });
    expect(unsealedNote(sealedAfter)).toBe(`Events 1 to ${String(older)} were written before the trail was sealed with an audit key, and checked by their plain hashes; the sealed event after them vouches for them.`);

    // A plain hash past the recorded start is reported, and an edit inside it is still an edit.
    await rewriteFrom(older + 1, plainHashOf);
    expect((await upgraded.verify()).problems).toEqual([`Event ${String(older + 1)} is not sealed with the audit key: it was written or rewritten outside the platform.`]);
    await tamperWithAudit(platform.services.db, () => platform.services.db.kysely.updateTable('audit_events').set({ outcome: 'denied' }).where('seq', '=', 2).execute());
    expect((await upgraded.verify()).problems).toContain('Event 2 has been edited since it was written.');
  });

  it('checks events under every key listed, so the sealing key can be replaced', async () => {
    const replacement: AuditKey = { id: 'k-next', key: randomBytes(32) };
    const rotated = serviceWith([replacement, ourKey()]);
    await rotated.record({ action: 'SIGN_IN_FAILED', outcome: 'failure' });
    expect((await platform.services.db.kysely.selectFrom('audit_events').select('hash').where('seq', '=', await lastSeq()).executeTakeFirstOrThrow()).hash.startsWith('k-next.')).toBe(true);
    expect(await rotated.verify()).toMatchObject({ ok: true, problems: [] });
    // Without the key that sealed the earlier events, they cannot be checked: said, not passed.
    const forgetful = await serviceWith([replacement]).verify();
    expect(forgetful.ok).toBe(false);
    expect(forgetful.problems[0]).toMatch(/^Event 1 is sealed with audit key "k\d{8}[0-9a-f]{6}", which is not among the audit keys configured/);
  });

  it('lists a trail rewritten wholesale in a page of problems, not one line for every event', async () => {
    await Promise.all(Array.from({ length: 240 }, (_, step) => platform.services.audit.record({ action: 'REFERRAL_ROUTED', recordType: 'referral', recordId: 'many', details: { step } })));
    await rewriteFrom(1, plainHashOf);
    const { problems } = await platform.services.audit.verify();
    expect(problems).toHaveLength(201);
    expect(problems[200]).toMatch(/^…and \d+ more problems, not listed\.$/);
  });

  it('with AUDIT_KEYS, will not start on a trail that begins unsealed until AUDIT_UNSEALED_UNTIL says where that ends, nor past its end', async () => {
    await rewriteFrom(1, plainHashOf);
    const last = await lastSeq();
    const keys = loadKeyMaterial(platform.config);
    const settings = (unsealedUntil?: number) => ({ AUDIT_KEYS: `a1:${randomBytes(32).toString('base64')}`, DATA_DIR: platform.config.DATA_DIR, ...(unsealedUntil === undefined ? {} : { AUDIT_UNSEALED_UNTIL: unsealedUntil }) });
    await expect(settleAuditKeying(keys, platform.services.db, settings(), { record: true })).rejects.toThrow(
      `The audit trail begins with events written before audit keys (the last without a seal is event ${String(last)}): set AUDIT_UNSEALED_UNTIL to the last event written before this upgrade`,
    );
    await expect(settleAuditKeying(keys, platform.services.db, settings(last + 1), { record: true })).rejects.toThrow(`AUDIT_UNSEALED_UNTIL is ${String(last + 1)}, but the audit trail's last event is ${String(last)}`);
    await expect(settleAuditKeying(keys, platform.services.db, settings(last), { record: true })).resolves.toBe(keys);
  });

  it('records, in a key file from before the audit key, the key and where the unsealed start ends, at the next start', async () => {
    const file = keyFilePath(platform.config.DATA_DIR);
    const sealedUnder = ourKey();
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete content['auditKeys'];
    delete content['auditUnsealedUntil'];
    fs.writeFileSync(file, JSON.stringify(content));
    // Every process reading such a file works out the same key, so two starting together agree.
    const derived = loadKeyMaterial(platform.config);
    expect(derived.auditUnsealedUntil).toBeNull();
    expect(loadKeyMaterial(platform.config).auditKeys).toEqual(derived.auditKeys);
    expect(derived.auditKeys[0]?.key.equals(sealedUnder.key)).toBe(false);

    const head = await lastSeq();
    // An operator's command (the earlier code may still be running beside it) leaves the recording to the service.
    const command = await openPlatform(platform.config, { recordAuditKeying: false });
    await command.db.destroy();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).not.toHaveProperty('auditUnsealedUntil');
    const restarted = await openPlatform(platform.config);
    try {
      const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { auditKeys: Array<{ id: string; key: string }>; auditUnsealedUntil: number };
      expect(recorded.auditUnsealedUntil).toBe(head);
      expect(recorded.auditKeys.map(({ id }) => id)).toEqual(derived.auditKeys.map(({ id }) => id));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // Events up to the head were sealed under the key this file no longer lists: said, not passed.
      await restarted.audit.record({ action: 'SIGN_IN_FAILED', outcome: 'failure' });
      const sealedNow = await platform.services.db.kysely.selectFrom('audit_events').select('hash').where('seq', '=', head + 1).executeTakeFirstOrThrow();
      expect(sealedNow.hash.startsWith(`${derived.auditKeys[0]?.id ?? '?'}.`)).toBe(true);
    } finally {
      await restarted.db.destroy();
    }
  });
});
