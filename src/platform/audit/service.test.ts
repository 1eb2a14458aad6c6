import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import type { RowWrite } from '../db/row-write.js';
import { loadKeyMaterial } from '../crypto/keys.js';
import { createAuditService, sealEvent, type AuditEntry } from './service.js';

const entry = (recordId: string, step: number): AuditEntry => ({ action: 'REFERRAL_ROUTED', recordType: 'referral', recordId, details: { step } });

describe('the audit chain', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  const auditKeys = () => loadKeyMaterial(platform.config).auditKeys;
  /** A second process's audit service: each knows only the head it wrote itself. */
  const anotherInstance = () => createAuditService(platform.services.db, { keys: auditKeys(), unsealedUntil: 0 });
  const eventsOf = (recordId: string) => platform.services.db.kysely.selectFrom('audit_events').selectAll().where('record_id', '=', recordId).orderBy('seq').execute();

  it('chains several events of one change in their order, each following the one before', async () => {
    const { db, audit } = platform.services;
    await db.kysely.transaction().execute((trx) => audit.recordAllWith(trx, [entry('batch', 1), entry('batch', 2), entry('batch', 3)]));
    const events = await eventsOf('batch');
    expect(events.map((event) => JSON.parse(event.details) as unknown)).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
    expect(events.map((event) => event.seq)).toEqual([events[0]?.seq, (events[0]?.seq ?? 0) + 1, (events[0]?.seq ?? 0) + 2]);
    expect(events[1]?.prev_hash).toBe(events[0]?.hash);
    expect(events[2]?.prev_hash).toBe(events[1]?.hash);
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps one unbroken chain when many transactions append at once', async () => {
    const { db, audit } = platform.services;
    const before = await audit.verify();
    await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        db.kysely.transaction().execute(async (trx) => {
          // Other work of the transaction first, as a submission does, then its events in one step.
          await trx.selectFrom('audit_events').select('seq').limit(1).execute();
          await audit.recordAllWith(trx, [entry(`parallel-${String(index)}`, 1), entry(`parallel-${String(index)}`, 2)]);
        }),
      ),
    );
    await Promise.all(Array.from({ length: 8 }, (_, index) => audit.record(entry(`single-${String(index)}`, 1))));
    const after = await audit.verify();
    expect(after).toMatchObject({ ok: true, problems: [] });
    expect(after.checked).toBe(before.checked + 24 * 2 + 8);
    // Each transaction's events stay next to each other in the chain.
    for (let index = 0; index < 24; index += 1) {
      const [first, second] = await eventsOf(`parallel-${String(index)}`);
      expect(second?.seq).toBe((first?.seq ?? 0) + 1);
    }
  });

  it('writes nothing when the change it records is rolled back, and the chain still verifies', async () => {
    const { db, audit } = platform.services;
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await audit.recordAllWith(trx, [entry('rolled-back', 1), entry('rolled-back', 2)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await eventsOf('rolled-back')).toEqual([]);
    await audit.record(entry('after-rollback', 1));
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps the chain whole when two instances of the platform append to one database in turn', async () => {
    const { db, audit } = platform.services;
    const other = anotherInstance();
    for (let round = 0; round < 3; round += 1) {
      await audit.record(entry(`instance-a-${String(round)}`, 1));
      await db.kysely.transaction().execute((trx) => other.recordAllWith(trx, [entry(`instance-b-${String(round)}`, 1), entry(`instance-b-${String(round)}`, 2)]));
    }
    await Promise.all(Array.from({ length: 12 }, (_, index) => (index % 2 ? audit : other).record(entry(`instance-mixed-${String(index)}`, 1))));
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('appends after the true head when the last events this instance wrote were rolled back', async () => {
    const { db, audit } = platform.services;
    await audit.record(entry('before-rollback', 1));
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await audit.recordAllWith(trx, [entry('undone', 1), entry('undone', 2)]);
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    await db.kysely.transaction().execute((trx) => audit.recordAllWith(trx, [entry('after-undone', 1)]));
    const [before] = await eventsOf('before-rollback');
    const [after] = await eventsOf('after-undone');
    expect(after?.seq).toBe((before?.seq ?? 0) + 1);
    expect(after?.prev_hash).toBe(before?.hash);
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('records an identifier cut through the middle of a character (a lone surrogate) so that the chain still verifies', async () => {
    const { db, audit } = platform.services;
    // What `slice(0, 64)` makes of an identifier from a web address that ends in an emoji at the 64th character.
    const cut = `${'a'.repeat(63)}\u{1F600}`.slice(0, 64);
    await audit.record({ action: 'REFERRAL_ACCESS_REFUSED', outcome: 'denied', recordType: 'referral', recordId: cut, ip: `ip${cut}` });
    await db.kysely.transaction().execute((trx) => audit.recordAllWith(trx, [{ action: 'REFERRAL_ACCESS_REFUSED', outcome: 'denied', recordType: 'referral', recordId: cut }]));
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('runs a change and its events in a chain transaction, and undoes both when the change fails', async () => {
    const { db, audit } = platform.services;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) =>
        audit.transaction(async (trx) => {
          await trx.selectFrom('audit_events').select('seq').limit(1).execute();
          await audit.recordWith(trx, entry(`gated-${String(index)}`, 1));
          if (index === 0) throw new Error('this change failed');
          return index;
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await eventsOf('gated-0')).toEqual([]);
    expect(await eventsOf('gated-5')).toHaveLength(1);
    expect(await db.kysely.selectFrom('audit_events').select('seq').where('record_id', 'like', 'gated-%').execute()).toHaveLength(5);
    expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  describe('a change written with its events in one step', () => {
    const keyRow = (organisationId: string, key: string): RowWrite => (q) =>
      q.insertInto('idempotency_keys').values({ organisation_id: organisationId, key, body_hash: 'hash', status_code: 201, response: '{}', created_at: '2026-11-26T00:00:00.000Z' });
    const keysLike = (prefix: string) => platform.services.db.kysely.selectFrom('idempotency_keys').select('key').where('key', 'like', `${prefix}%`).orderBy('key').execute();

    it('follows events another instance wrote meanwhile, and writes neither the change nor its events when part of the change fails', async () => {
      const { db, audit } = platform.services;
      const other = anotherInstance();
      const { id: organisationId } = await db.kysely.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
      await audit.writeWithEvents([keyRow(organisationId, 'step-1')], [entry('step-1', 1)]);
      await other.record(entry('step-other', 1));
      await audit.writeWithEvents([keyRow(organisationId, 'step-2')], [entry('step-2', 1), entry('step-2', 2)]);
      // The second row repeats step-1's key: the whole change fails.
      await expect(audit.writeWithEvents([keyRow(organisationId, 'step-3'), keyRow(organisationId, 'step-1')], [entry('step-3', 1)])).rejects.toThrow();
      await audit.writeWithEvents([keyRow(organisationId, 'step-4')], [entry('step-4', 1)]);

      expect((await keysLike('step-')).map((row) => row.key)).toEqual(['step-1', 'step-2', 'step-4']);
      expect(await eventsOf('step-3')).toEqual([]);
      const [otherEvent] = await eventsOf('step-other');
      const [first, second] = await eventsOf('step-2');
      expect(first?.prev_hash).toBe(otherEvent?.hash);
      expect(second?.prev_hash).toBe(first?.hash);
      expect(await audit.verify()).toMatchObject({ ok: true, problems: [] });
    });

    it('keeps one unbroken chain when two instances write many changes at once', async () => {
      const { db, audit } = platform.services;
      const other = anotherInstance();
      const { id: organisationId } = await db.kysely.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
      const before = await audit.verify();
      await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 3 ? audit : other).writeWithEvents([keyRow(organisationId, `busy-${String(index)}`)], [entry(`busy-${String(index)}`, 1), entry(`busy-${String(index)}`, 2)])));
      const after = await audit.verify();
      expect(after).toMatchObject({ ok: true, problems: [] });
      expect(after.checked).toBe(before.checked + 40);
      expect(await keysLike('busy-')).toHaveLength(20);
    });
  });

  it('goes on from events written past its head by an instance of the code from before the head had a row (during an upgrade), reporting them until they are taken into the chain', async () => {
    const { db, audit } = platform.services;
    await audit.record(entry('before-upgrade', 1));
    const head = await db.kysely.selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    // As the earlier code appended: after the last event, leaving the head where it was.
    const content = { seq: head.seq + 1, id: `legacy-${String(head.seq)}`, at: new Date().toISOString(), actor_user_id: null, actor_organisation_id: null, action: 'REFERRAL_ROUTED', record_type: 'referral', record_id: 'legacy', outcome: 'success' as const, ip: null, request_id: null, details: '{}', prev_hash: head.hash };
    const [sealing] = auditKeys();
    if (!sealing) throw new Error('The test platform has no audit key.');
    const legacyHash = sealEvent(content, sealing);
    await db.kysely.insertInto('audit_events').values({ ...content, hash: legacyHash }).execute();
    // Not yet vouched for by the head: the check says so (an event put there by hand looks just the same).
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [`Event ${String(head.seq + 1)} was stored after the last event the platform wrote: it did not come from the platform.`] });

    const { id: organisationId } = await db.kysely.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
    await audit.record(entry('after-upgrade', 1));
    await audit.writeWithEvents([(q) => q.insertInto('idempotency_keys').values({ organisation_id: organisationId, key: 'after-upgrade', body_hash: 'hash', status_code: 201, response: '{}', created_at: '2026-11-26T00:00:00.000Z' })], [entry('after-upgrade', 2)]);
    const [first, second] = await eventsOf('after-upgrade');
    expect(first?.prev_hash).toBe(legacyHash);
    expect(second?.prev_hash).toBe(first?.hash);
    const verified = await audit.verify();
    expect(verified).toMatchObject({ ok: true, problems: [] });
    expect(verified.checked).toBe((second?.seq ?? 0));
  });

  it('writes nothing for an empty list of events', async () => {
    const { db, audit } = platform.services;
    const before = await audit.verify();
    await db.kysely.transaction().execute((trx) => audit.recordAllWith(trx, []));
    expect((await audit.verify()).checked).toBe(before.checked);
  });
});
