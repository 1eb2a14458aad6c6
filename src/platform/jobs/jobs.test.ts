import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allJobs, runJobNow } from '../../jobs.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { captureLog } from '../../../test/support/capture-log.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server.js';
import { newId } from '../db/ids.js';
import { OUTBOX_JOB, RETENTION_JOB, SESSIONS_JOB } from './platform-jobs.js';

const NOW = new Date('2026-12-01T09:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000).toISOString();

describe('platform jobs', () => {
  let platform: TestPlatform;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    platform = await createTestPlatform({ env: { SMTP_URL: smtp.url }, clock: () => NOW });
  });
  afterAll(async () => {
    platform.services.delivery.close();
    await platform.close();
    await smtp.close();
  });

  it('lists the platform jobs with valid schedules', () => {
    const jobs = allJobs(platform.services, captureLog('silent').logger);
    expect(jobs.map((job) => [job.name, job.cron])).toEqual(
      expect.arrayContaining([
        [OUTBOX_JOB, '* * * * *'],
        [SESSIONS_JOB, '*/5 * * * *'],
        [RETENTION_JOB, '17 3 * * *'],
      ]),
    );
  });

  it('runs the outbox job on demand and sends what is due', async () => {
    const { services } = platform;
    await services.outbox.enqueueWith(services.db.kysely, { to: 'ops@example.org', subject: 'Test message', body: `Sign in: ${services.config.baseUrl}/app` });
    const log = captureLog();
    expect(await runJobNow(services, OUTBOX_JOB, log.logger)).toMatchObject({ ran: true, outcome: 'ok' });
    expect(smtp.received.map((mail) => mail.to)).toEqual([['ops@example.org']]);
    expect(log.lines.find((line) => line['msg'] === 'outbox delivery')).toMatchObject({ sent: 1, waiting: 0 });
    expect(log.text()).not.toContain('ops@example.org');
  });

  it('refuses an unknown job name and says which exist', async () => {
    await expect(runJobNow(platform.services, 'no.such-job', captureLog('silent').logger)).rejects.toThrow(/no job called "no.such-job".*outbox.deliver/);
  });

  it('retention deletes what has served its purpose and keeps the rest', async () => {
    const { db } = platform.services;
    const user = await db.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const message = (status: 'sent' | 'pending' | 'failed', sentAt: string | null) => ({
      id: newId(),
      recipient_enc: 'x',
      subject: 's',
      body_text: 'x',
      status,
      attempts: 1,
      next_attempt_at: daysAgo(40),
      last_error: null,
      created_at: daysAgo(40),
      sent_at: sentAt,
    });
    await db.kysely.deleteFrom('outbox_messages').execute();
    await db.kysely
      .insertInto('outbox_messages')
      .values([message('sent', daysAgo(31)), message('sent', daysAgo(29)), message('failed', null), message('pending', null)])
      .execute();
    await db.kysely
      .insertInto('sign_in_throttle')
      .values([
        { key: 'address:old', failures: 3, first_failure_at: daysAgo(2), locked_until: null },
        { key: 'address:recent', failures: 3, first_failure_at: daysAgo(0.01), locked_until: null },
      ])
      .execute();
    const token = (usedAt: string | null, expiresAt: string) => ({
      id: newId(),
      token_hash: newId(),
      purpose: 'invitation' as const,
      user_id: user.id,
      created_at: daysAgo(20),
      expires_at: expiresAt,
      used_at: usedAt,
    });
    await db.kysely
      .insertInto('user_tokens')
      .values([token(daysAgo(8), daysAgo(-1)), token(null, daysAgo(8)), token(daysAgo(1), daysAgo(-1)), token(null, daysAgo(-1))])
      .execute();
    await db.kysely
      .insertInto('job_runs')
      .values([
        { name: 'x', slot: 'old', instance_id: 'i', started_at: daysAgo(31), finished_at: daysAgo(31), outcome: 'ok' },
        { name: 'x', slot: 'new', instance_id: 'i', started_at: daysAgo(1), finished_at: daysAgo(1), outcome: 'ok' },
      ])
      .execute();

    const log = captureLog();
    expect(await runJobNow(platform.services, RETENTION_JOB, log.logger)).toMatchObject({ ran: true, outcome: 'ok' });
    expect(log.lines.find((line) => line['msg'] === 'retention applied')).toMatchObject({ sentEmails: 1, throttleRows: 1, spentLinks: 2, jobRuns: 1 });
    expect((await db.kysely.selectFrom('outbox_messages').select('status').orderBy('status').execute()).map((row) => row.status)).toEqual(['failed', 'pending', 'sent']);
    expect((await db.kysely.selectFrom('sign_in_throttle').select('key').execute()).map((row) => row.key)).toEqual(['address:recent']);
    expect(await db.kysely.selectFrom('user_tokens').select('id').execute()).toHaveLength(2);
  });
});
