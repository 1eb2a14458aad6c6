import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { OUTBOX_JOB } from '../../src/platform/jobs/platform-jobs.js';
import { PG_BOSS_SCHEMA } from '../../src/platform/jobs/pg-boss-scheduler.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp-server.js';
import { persona } from '../support/visitor.js';
import { HttpVisitor } from './http-visitor.js';
import { startInstance, type AppInstance } from './instances.js';

/** pg-boss's own queue through which each instance's clock monitor asks for a scheduled job's tick. */
const SEND_IT_QUEUE = '__pgboss__send-it';

/**
 * Two real app processes behind what would be one load balancer, sharing one fresh PostgreSQL database: jobs run
 * once across them and a session made on one works on the other. CI runs this on PostgreSQL.
 */
describe.skipIf(!process.env['DATABASE_URL'])('two app instances on one database (needs PostgreSQL (DATABASE_URL))', () => {
  const secrets = {
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEYS: `multi:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    AUDIT_KEYS: `multi:${randomBytes(32).toString('base64')}`,
  };
  let platform: TestPlatform;
  let smtp: TestSmtpServer;
  let instances: AppInstance[] = [];
  const exitCodes: Array<number | null> = [];

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    // The test process migrates and seeds the fresh database first, as a release step would before instances start.
    platform = await createTestPlatform({ env: { ...secrets, SMTP_URL: smtp.url } });
    const env = {
      ...secrets,
      NODE_ENV: 'test',
      DATABASE_URL: platform.config.DATABASE_URL ?? '',
      DATA_DIR: platform.config.DATA_DIR,
      BASE_URL: platform.config.baseUrl,
      SMTP_URL: smtp.url,
      JOBS: 'true',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
    };
    instances = await Promise.all([startInstance('instance A', env), startInstance('instance B', env)]);
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await platform.close();
    await smtp.close();
  });

  it('starts the pg-boss scheduler on both instances', () => {
    for (const instance of instances) {
      expect(instance.logLines().find((line) => line['msg'] === 'pg-boss job scheduler started')).toMatchObject({ jobs: expect.arrayContaining([OUTBOX_JOB]) as unknown });
    }
  });

  it('accepts a session made by signing in on instance A on instance B, CSRF token included', async () => {
    const [a, b] = instances as [AppInstance, AppInstance];
    const email = 'marac@demo.invalid';
    const browser = new HttpVisitor();
    await browser.get(`${a.url}/app/sign-in`);
    const password = await browser.post(`${a.url}/app/sign-in`, { email, password: DEMO_PASSWORD });
    expect(password).toMatchObject({ status: 303, location: '/app/sign-in/code' });
    await browser.get(`${a.url}/app/sign-in/code`);
    const code = await browser.post(`${a.url}/app/sign-in/code`, { code: currentTotpCode(persona(email).totpSecret) });
    expect(code).toMatchObject({ status: 303, location: '/app' });

    const onB = await browser.get(`${b.url}/app/account`);
    expect(onB.status).toBe(200);
    expect(onB.body).toContain('Demo MARAC Coordinator (synthetic)');
    const signedOut = await browser.post(`${b.url}/app/sign-out`, {});
    expect(signedOut).toMatchObject({ status: 303, location: '/app/signed-out' });
    expect((await browser.get(`${a.url}/app/account`)).status).toBe(303);
  });

  it('delivers an email enqueued while both run exactly once, on one instance per tick', async () => {
    const { services } = platform;
    const recipients = ['first@example.org', 'second@example.org', 'third@example.org'];
    const subject = 'A referral is waiting (two-instance test)';
    await services.db.kysely.transaction().execute(async (trx) => {
      for (const to of recipients) {
        await services.outbox.enqueueWith(trx, { to, subject, body: `Sign in to see it:\n${services.config.baseUrl}/app` });
      }
    });
    // Other scheduled work may send mail meanwhile (the overdue chase runs every 15 minutes): only these count.
    const ours = (mail: ReceivedMail) => mail.subject === subject;

    // The outbox job runs every minute, so this waits for the next minute tick at most.
    await smtp.waitForCount(recipients.length, ours);
    // A stopped instance has finished whatever it was doing: after this, no late duplicate can still arrive.
    for (const instance of instances) exitCodes.push(await instance.stop());
    expect(exitCodes).toEqual([0, 0]);

    expect(smtp.received.filter(ours).flatMap((mail) => mail.to).sort()).toEqual([...recipients].sort());
    const rows = await services.db.kysely.selectFrom('outbox_messages').select(['status', 'attempts']).where('subject', '=', subject).execute();
    expect(rows).toEqual(recipients.map(() => ({ status: 'sent', attempts: 1 })));

    const finished = instances.flatMap((instance) =>
      instance
        .logLines()
        .filter((line) => line['msg'] === 'job finished' && line['job'] === OUTBOX_JOB)
        .map((line) => ({ slot: String(line['slot']), instance: instance.name })),
    );
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(new Set(finished.map((run) => run.slot)).size).toBe(finished.length);
    // Each instance's clock monitor asks for each minute's tick; pg-boss keeps one request per minute (a singleton
    // of its send-it queue), and each request it keeps becomes one job. The jobs themselves carry no minute: a run
    // that waited past a minute has two, each from its own request.
    const jobsOf = (name: string) => sql<{ slot: string | null; data: { name?: string } }>`
      select singleton_on::text as slot, data from ${sql.table(`${PG_BOSS_SCHEMA}.job`)} where name = ${name}
      union all
      select singleton_on::text as slot, data from ${sql.table(`${PG_BOSS_SCHEMA}.archive`)} where name = ${name}`.execute(services.db.kysely);
    const requests = (await jobsOf(SEND_IT_QUEUE)).rows.filter((request) => request.data.name === OUTBOX_JOB);
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(requests.map((request) => request.slot)).size).toBe(requests.length);
    const ticks = (await jobsOf(OUTBOX_JOB)).rows;
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(requests.length);
    const claimed = await services.db.kysely.selectFrom('job_runs').select(['slot', 'instance_id']).where('name', '=', OUTBOX_JOB).execute();
    expect(claimed.length).toBe(finished.length);

    const logs = instances.map((instance) => instance.output()).join('\n');
    for (const to of recipients) expect(logs).not.toContain(to);
  }, 150_000);
});
