import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform } from '../../bootstrap.js';
import { runJobNow } from '../../jobs.js';
import { captureLog } from '../../../test/support/capture-log.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server.js';
import { MAX_ATTEMPTS } from './delivery.js';
import { UnsafeEmailError } from './message-guard.js';

describe('outbox delivery through SMTP', () => {
  let smtp: TestSmtpServer;
  let platform: TestPlatform;
  let now = new Date('2026-12-01T09:00:00.000Z');

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    platform = await createTestPlatform({ env: { SMTP_URL: smtp.url, BASE_URL: 'https://partnership.example.org' }, clock: () => now, demo: false });
  });
  afterAll(async () => {
    platform.services.delivery.close();
    await platform.close();
    await smtp.close();
  });
  afterEach(async () => {
    smtp.refuseRecipientsWith = undefined;
    smtp.received.length = 0;
    await platform.services.db.kysely.deleteFrom('outbox_messages').execute();
  });

  const enqueue = (to: string, subject = 'Something is waiting for you') =>
    platform.services.outbox.enqueueWith(platform.services.db.kysely, {
      to,
      subject,
      body: 'A referral has been sent to your service.\n\nSign in to see it:\nhttps://partnership.example.org/app/referrals',
    });
  const row = (id: string) => platform.services.db.kysely.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('sends a due message as plain text from MAIL_FROM and marks it sent', async () => {
    const id = await enqueue('manager@example.org');
    const report = await platform.services.delivery.deliverDue();
    expect(report).toMatchObject({ configured: true, sent: 1, retrying: 0, failed: 0, waiting: 0 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail?.to).toEqual(['manager@example.org']);
    expect(mail?.from).toBe('no-reply@partnership.invalid');
    expect(mail?.subject).toBe('Something is waiting for you');
    expect(mail?.text).toContain('https://partnership.example.org/app/referrals');
    expect(mail?.headers).toMatch(/^Content-Type: text\/plain/im);
    expect(mail?.headers).toMatch(/^Auto-Submitted: auto-generated/im);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, sent_at: now.toISOString(), last_error: null });
  });

  it('does not send a message whose link expired while it waited (a reset link after its hour), and says why', async () => {
    const body = 'To choose a new password, open this link within 1 hour:\nhttps://partnership.example.org/app/password-reset/abc';
    const inTime = await platform.services.outbox.enqueueWith(platform.services.db.kysely, { to: 'early@example.org', subject: 'Reset your password', body, sendBefore: new Date(now.getTime() + 60_000).toISOString() });
    const late = await platform.services.outbox.enqueueWith(platform.services.db.kysely, { to: 'late@example.org', subject: 'Reset your password', body, sendBefore: now.toISOString() });
    expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 1, expired: 1, failed: 0, waiting: 0 });
    expect(smtp.received.map((mail) => mail.to)).toEqual([['early@example.org']]);
    expect(await row(inTime)).toMatchObject({ status: 'sent' });
    expect(await row(late)).toMatchObject({ status: 'failed', last_error: 'EXPIRED', sent_at: null });
  });

  it('does not send a link that was used or replaced, or whose account was disabled, while it waited', async () => {
    const { db, users, userTokens, outbox } = platform.services;
    const organisationId = (await db.kysely.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id;
    const person = (name: string) => users.createActive({ organisationId, email: `${name}@example.org`, name: `Test ${name} (synthetic)`, roles: [] }, 'a long synthetic password 4821');
    const withLink = async (userId: string, to: string) => {
      const link = await userTokens.issueWith(db.kysely, userId, 'password_reset');
      const id = await outbox.enqueueWith(db.kysely, { to, subject: 'Reset your password', body: `Open this link:\nhttps://partnership.example.org/app/password-reset/${link.token}`, linkTokenId: link.id });
      return { id, tokenId: link.id };
    };
    const replacedFor = await person('replaced');
    const replaced = await withLink(replacedFor, 'replaced@example.org');
    const replacement = await withLink(replacedFor, 'replaced@example.org');
    const used = await withLink(await person('used'), 'used@example.org');
    await userTokens.consumeWith(db.kysely, used.tokenId);
    const disabledFor = await person('disabled');
    const disabled = await withLink(disabledFor, 'disabled@example.org');
    await db.kysely.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabledFor).execute();

    expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 1, withdrawn: 3, failed: 0, expired: 0, waiting: 0 });
    expect(smtp.received.map((mail) => mail.to)).toEqual([['replaced@example.org']]);
    expect(await row(replacement.id)).toMatchObject({ status: 'sent' });
    for (const withdrawn of [replaced, used, disabled]) expect(await row(withdrawn.id)).toMatchObject({ status: 'failed', last_error: 'LINK_WITHDRAWN', sent_at: null });

    // A reset asked for twice: only the second link, the one that works, is sent.
    const origin = { ip: '192.0.2.10', requestId: 'test-reset' };
    await platform.services.auth.requestPasswordReset('used@example.org', origin);
    await platform.services.auth.requestPasswordReset('used@example.org', origin);
    smtp.received.length = 0;
    expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 1, withdrawn: 1 });
    expect(smtp.received).toHaveLength(1);
  });

  it('keeps the recipient and body encrypted at rest', async () => {
    const id = await enqueue('manager@example.org');
    const stored = await row(id);
    expect(stored.recipient_enc).not.toContain('manager');
    expect(stored.body_text).not.toContain('referral');
  });

  it('retries after 1, then 2 minutes when the server says try later, and stores no address in the error', async () => {
    const id = await enqueue('busy@example.org');
    smtp.refuseRecipientsWith = 451;
    expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 0, retrying: 1, waiting: 1 });
    const first = await row(id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'EENVELOPE SMTP 451' });
    expect(Date.parse(first.next_attempt_at) - now.getTime()).toBe(60_000);

    expect(await platform.services.delivery.deliverDue()).toMatchObject({ retrying: 0, sent: 0 });
    expect((await row(id)).attempts).toBe(1);

    now = new Date(now.getTime() + 60_000);
    await platform.services.delivery.deliverDue();
    const second = await row(id);
    expect(second).toMatchObject({ status: 'pending', attempts: 2 });
    expect(Date.parse(second.next_attempt_at) - now.getTime()).toBe(120_000);

    smtp.refuseRecipientsWith = undefined;
    now = new Date(now.getTime() + 120_000);
    expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 1, waiting: 0 });
    expect(smtp.received.map((mail) => mail.to)).toEqual([['busy@example.org']]);
  });

  it(`gives up after ${String(MAX_ATTEMPTS)} attempts`, async () => {
    const id = await enqueue('never@example.org');
    smtp.refuseRecipientsWith = 421;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await platform.services.delivery.deliverDue();
      now = new Date(Date.parse((await row(id)).next_attempt_at));
    }
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'EENVELOPE SMTP 421' });
    now = new Date(now.getTime() + 24 * 60 * 60_000);
    expect(await platform.services.delivery.deliverDue()).toMatchObject({ retrying: 0, failed: 0, waiting: 0 });
  });

  it('marks a message failed at once when the server refuses it for good', async () => {
    const id = await enqueue('unknown@example.org');
    smtp.refuseRecipientsWith = 550;
    const log = captureLog('info');
    await runJobNow(platform.services, 'outbox.deliver', log.logger);
    // Given up on, the message never reaches its reader: the run says so as a warning, not as routine news.
    expect(log.lines.find((line) => String(line['msg']).startsWith('outbox delivery'))).toMatchObject({ level: 40, failed: 1, waiting: 0 });
    const stored = await row(id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1, last_error: 'EENVELOPE SMTP 550' });
    expect(stored.last_error).not.toContain('unknown');
  });

  it('sends each message exactly once when two instances deliver at the same time', async () => {
    const other = await openPlatform(platform.config, { migrate: false, clock: () => now });
    try {
      const ids = [];
      for (let index = 0; index < 30; index += 1) ids.push(await enqueue(`person${String(index)}@example.org`));
      const reports = await Promise.all([platform.services.delivery.deliverDue(), other.delivery.deliverDue(), platform.services.delivery.deliverDue()]);
      expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(30);
      const recipients = smtp.received.flatMap((mail) => mail.to);
      expect(recipients).toHaveLength(30);
      expect(new Set(recipients).size).toBe(30);
    } finally {
      other.delivery.close();
      await other.db.destroy();
    }
  });

  it('claims no message once its instance is shutting down, so none is left claimed by a process that is ending', async () => {
    const ending = await openPlatform(platform.config, { migrate: false, clock: () => now });
    try {
      const id = await enqueue('waiting@example.org');
      ending.delivery.stopClaiming();
      expect(await ending.delivery.deliverDue()).toMatchObject({ sent: 0, waiting: 1 });
      expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0 });
      // Another instance still sends it at once.
      expect(await platform.services.delivery.deliverDue()).toMatchObject({ sent: 1 });
    } finally {
      ending.delivery.close();
      await ending.db.destroy();
    }
  });

  it('stops the run when the mail server cannot be reached, leaving the other messages untouched', async () => {
    const offline = await openPlatform({ ...platform.config, SMTP_URL: 'smtp://127.0.0.1:9' }, { migrate: false, clock: () => now });
    try {
      const first = await enqueue('first@example.org');
      const second = await enqueue('second@example.org');
      expect(await offline.delivery.deliverDue()).toMatchObject({ serverUnavailable: true, retrying: 1, waiting: 2 });
      expect(await row(first)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/^E(SOCKET|CONNECTION)$/) as unknown });
      expect(await row(second)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    } finally {
      offline.delivery.close();
      await offline.db.destroy();
    }
  });

  it('refuses to queue a message that is not plain text linking to the platform, and rolls back the change with it', async () => {
    await expect(
      platform.services.db.kysely.transaction().execute(async (trx) => {
        await platform.services.outbox.enqueueWith(trx, { to: 'a@example.org', subject: 'Hi', body: 'Fine: https://partnership.example.org/app' });
        await platform.services.outbox.enqueueWith(trx, { to: 'a@example.org', subject: 'Hi', body: 'See https://tracker.example.com/open' });
      }),
    ).rejects.toBeInstanceOf(UnsafeEmailError);
    expect(await platform.services.db.kysely.selectFrom('outbox_messages').select('id').execute()).toEqual([]);
  });
});

describe('outbox delivery without SMTP_URL', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  it('leaves messages pending and reports how many wait', async () => {
    await platform.services.outbox.enqueueWith(platform.services.db.kysely, { to: 'a@example.org', subject: 'Hello', body: `Sign in: ${platform.config.baseUrl}/app` });
    expect(await platform.services.delivery.deliverDue()).toEqual({ configured: false, sent: 0, retrying: 0, failed: 0, expired: 0, withdrawn: 0, waiting: 1, serverUnavailable: false });
    const rows = await platform.services.db.kysely.selectFrom('outbox_messages').select(['status', 'attempts']).execute();
    expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
  });
});
