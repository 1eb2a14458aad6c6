import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamperWithAudit } from '../../test/support/audit-tamper.js';
import { cliEnv, runCli, runCliProcess } from '../../test/support/cli.js';
import { productionEnv } from '../../test/support/production-env.js';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform.js';
import { Visitor } from '../../test/support/visitor.js';
import { configSchema } from '../config.js';
import { MODULES } from '../modules/index.js';
import { FieldCrypto } from '../platform/crypto/field-crypto.js';
import { keyFilePath, loadKeyMaterial } from '../platform/crypto/keys.js';
import { allEncryptedColumns } from '../platform/crypto/rotation.js';
import { emailIndex, findUserRowByEmail } from '../platform/access/users.js';
import { spendRecoveryCode } from '../platform/auth/recovery-codes.js';
import { wantedPerson } from '../modules/referrals/matching.js';
import { findEarlierReferrals, type EarlierWindows } from '../modules/referrals/submission.js';

describe('the operator CLI', { timeout: 120_000 }, () => {
  let platform: TestPlatform;
  let env: Record<string, string>;
  beforeAll(async () => {
    platform = await createTestPlatform();
    env = cliEnv(platform.config);
  });
  afterAll(() => platform.close());

  const noStackTrace = (text: string) => {
    expect(text).not.toMatch(/\n\s+at /);
  };

  it('explains every command with --help', async () => {
    const commands = [['migrate'], ['seed', 'reference'], ['seed', 'demo'], ['create-user'], ['rotate-keys'], ['audit', 'verify'], ['backup'], ['restore'], ['config-table'], ['outbox', 'list'], ['outbox', 'show']];
    const results = await Promise.all(commands.map((command) => runCli([...command, '--help'], env)));
    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]?.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run cli -- /);
      expect(result.stdout.length).toBeGreaterThan(150);
    }
  });

  it('runs as a process of its own, as `npm run cli` does: help exits 0, a mistyped command or refused input exits 1 with the message alone', async () => {
    const [help, mistyped, refused] = await Promise.all([
      runCliProcess(['--help'], env),
      runCliProcess(['migrat'], env),
      runCliProcess(['create-user', '--org', 'atlantis', '--email', 'x@demo.invalid', '--name', 'X', '--roles', 'practitioner'], env),
    ]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run cli -- \[options\] \[command\]/);
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toContain("error: unknown command 'migrat'");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^There is no organisation with the short name "atlantis"\. Short names: [a-z-]+(, [a-z-]+)+\n$/);
  });

  it('migrates (nothing to do here) and loads reference data idempotently', async () => {
    const migrate = await runCli(['migrate'], env);
    expect(migrate).toMatchObject({ code: 0, stdout: 'The database is already up to date.\n' });
    const seed = await runCli(['seed', 'reference'], env);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toMatch(/Reference data checked: \d+ areas/);
  });

  it('migrates a new, empty database with its keys set in the environment, as a production install first does', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-fresh-'));
    const key = () => randomBytes(32).toString('base64');
    try {
      const fresh = { DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', ENCRYPTION_KEYS: `k1:${key()}`, BLIND_INDEX_KEY: key(), AUDIT_KEYS: `a1:${key()}` };
      const migrate = await runCli(['migrate'], fresh);
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(migrate.stdout).toMatch(/^Applied \d+ migration\(s\):/);
      const verify = await runCli(['audit', 'verify'], fresh);
      expect(verify.code, verify.stderr).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('makes nothing in a folder with no database when asked to verify or back it up', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-empty-'));
    try {
      for (const command of [['audit', 'verify'], ['backup', '--to', path.join(empty, 'backup.sqlite')]]) {
        const result = await runCli(command, { DATA_DIR: empty, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
        expect(result.code, command.join(' ')).toBe(1);
        expect(result.stderr).toContain(`There is no database at ${path.join(empty, 'platform.sqlite')}. Check DATA_DIR`);
      }
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('warns, as the server does, of a variable that looks like a misspelt setting', async () => {
    const result = await runCli(['migrate'], { ...env, DATABSE_URL: 'postgres://nowhere.invalid/db' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: DATABSE_URL is not a setting of this service: did you mean DATABASE_URL?');
  });

  it('lists the jobs with their last run, and says when a run was cut off rather than calling it running for ever', async () => {
    const started = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 60 * 60 * 1000).toISOString();
    const run = (name: string, hoursAgo: number) => ({ name, slot: started(hoursAgo), instance_id: 'host:123:abcdef', started_at: started(hoursAgo), finished_at: null, outcome: null });
    await platform.services.db.kysely.insertInto('job_runs').values([run('outbox.deliver', 2), run('retention.apply', 0)]).execute();
    const result = await runCli(['jobs', 'list'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/outbox\.deliver .* did not finish \(its process stopped mid-run\) on host:123:abcdef/);
    expect(result.stdout).toMatch(/retention\.apply .* running on host:123:abcdef/);
  });

  it('prints the configuration table from the schema', async () => {
    const result = await runCli(['config-table'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| Variable | Default | What it does |');
    for (const key of Object.keys(configSchema.shape)) expect(result.stdout).toContain(`| \`${key}\` |`);
    expect(result.stdout).toContain('| `PORT` | `3000` | Port to listen on. |');
  });

  it('creates an invited user and prints a one-time link that works', async () => {
    const result = await runCli(['create-user', '--org', 'kent-county-council', '--email', 'First.Admin@demo.invalid', '--name', 'Synthetic First Admin', '--roles', 'system_admin,auditor'], env);
    expect(result.code).toBe(0);
    const link = /https?:\/\/\S+\/app\/invitation\/[A-Za-z0-9_-]+/.exec(result.stdout)?.[0];
    expect(link).toBeDefined();
    const user = await platform.services.users.findByEmail('first.admin@demo.invalid');
    expect(user).toMatchObject({ status: 'invited', roles: ['system_admin', 'auditor'], hasPassword: false });
    const opened = await platform.app.inject({ method: 'GET', url: new URL(link ?? '').pathname });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe('/app/invitation/choose');
    const outbox = await platform.services.db.kysely.selectFrom('outbox_messages').select('id').execute();
    expect(outbox).toHaveLength(0); // the operator passes the link on; nothing is emailed
  });

  it('prints a demo sign-in’s authenticator code and recovery codes, and refuses any other address', async () => {
    const printed = await runCli(['demo-code', 'editor@demo.invalid'], env);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/Current code: \d{6} /);
    const codes = /Recovery codes[^:]*: (.+)/.exec(printed.stdout)?.[1]?.split(' ') ?? [];
    expect(codes).toHaveLength(10);
    const user = await platform.services.users.findByEmail('editor@demo.invalid');
    expect(await spendRecoveryCode(platform.services.db.kysely, platform.services.crypto, user?.id ?? '', codes[9] ?? '', platform.services.clock)).toBe(true);
    const inProduction = await runCli(['demo-code', 'editor@demo.invalid'], { ...env, ...productionEnv() });
    expect(inProduction.code).toBe(1);
    expect(inProduction.stderr).toContain('demo-code is for the synthetic demo only, and this is a production configuration');
    expect(inProduction.stdout).not.toContain('Current code');
    const refused = await runCli(['demo-code', 'someone@example.org'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not a demo sign-in');
  });

  it('lists the emails waiting without SMTP, and shows one with its link, which works', async () => {
    const visitor = new Visitor(platform.app, '198.51.100.77');
    await visitor.get('/app/password-reset');
    await visitor.post('/app/password-reset', { email: 'auditor@demo.invalid' });
    const listed = await runCli(['outbox', 'list'], env);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((text) => text.includes('auditor@demo.invalid'));
    expect(line).toMatch(/^\S+\s+\S+\s+pending\s+auditor@demo\.invalid\s+\S/);
    const shown = await runCli(['outbox', 'show', line?.split(' ')[0] ?? ''], env);
    expect(shown.stdout).toMatch(/^To: auditor@demo\.invalid\nSubject: /);
    const link = /https?:\/\/\S+\/app\/password-reset\/\S+/.exec(shown.stdout)?.[0] ?? 'http://missing/';
    expect((await platform.app.inject({ method: 'GET', url: new URL(link).pathname })).statusCode).toBe(303);
    const id = line?.split(' ')[0] ?? '';
    const shownEvents = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'OUTBOX_MESSAGE_SHOWN').execute();
    expect(shownEvents.map((event) => event.details)).toEqual([JSON.stringify({ messageId: id })]);
    // Where email is really sent, its links are for their recipients alone.
    const refused = await runCli(['outbox', 'show', id], { ...env, SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('Refused where email is sent');
    const unknown = await runCli(['outbox', 'show', 'no-such-id'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No waiting email with id no-such-id');
  });

  it('refuses bad create-user input with a clear message, no stack trace and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--org', 'atlantis', '--email', 'x@demo.invalid', '--name', 'X', '--roles', 'practitioner'], /There is no organisation with the short name "atlantis"/],
      [['--org', 'kent-police', '--email', 'not-an-email', '--name', 'X', '--roles', 'practitioner'], /is not an email address in the correct format/],
      [['--org', 'kent-police', '--email', 'x@demo.invalid', '--name', 'X', '--roles', 'wizard'], /Unknown role\(s\): wizard/],
      [['--org', 'kent-police', '--email', 'practitioner@demo.invalid', '--name', 'X', '--roles', 'practitioner'], /already exists/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['create-user', ...args], env)));
    for (const [index, result] of results.entries()) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(cases[index]?.[1] ?? /never/);
      noStackTrace(result.stderr);
    }
  });

  it('rotates keys: every encrypted value moves to the new key and still decrypts, and the running service keeps reading', async () => {
    const organisation = await platform.services.reference.getOrganisationBySlug('kent-police');
    const inviter = await platform.services.users.findByEmail('admin@demo.invalid');
    await platform.services.users.invite(
      { userId: inviter?.id ?? '', organisationId: inviter?.organisationId ?? '', roles: ['system_admin'] },
      { organisationId: organisation?.id ?? '', email: 'rotation.invitee@demo.invalid', name: 'Synthetic Rotation Invitee', roles: ['practitioner'] },
      { ip: '127.0.0.1', requestId: 'test' },
    );
    const oldKeyId = platform.services.crypto.currentKeyId;

    const result = await runCli(['rotate-keys', '--batch-size', '3'], env);
    expect(result.code).toBe(0);
    const keys = loadKeyMaterial(platform.config);
    const newKeyId = keys.encryptionKeys[0]?.id;
    expect(newKeyId).not.toBe(oldKeyId);
    expect(keys.encryptionKeys.map((key) => key.id)).toContain(oldKeyId);
    expect(result.stdout).toContain(`Re-encrypting under key ${newKeyId ?? ''}`);

    const crypto = new FieldCrypto(keys);
    let checked = 0;
    for (const { table, columns } of allEncryptedColumns(MODULES)) {
      const { rows } = await sql<Record<string, string | null>>`select ${sql.join(columns.map((column) => sql.ref(column)))} from ${sql.table(table)}`.execute(platform.services.db.kysely);
      for (const row of rows) {
        for (const column of columns) {
          const value = row[column];
          if (value === null || value === undefined) continue;
          expect(FieldCrypto.keyIdOf(value), `${table}.${column}`).toBe(newKeyId);
          expect(() => crypto.decrypt(value)).not.toThrow();
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);

    // The in-process service started with the old keys only: it learns the new one rather than failing.
    expect((await platform.services.users.findByEmail('admin@demo.invalid'))?.name).toBe('Demo System Admin (synthetic)');
    const rotated = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'KEYS_ROTATED').execute();
    expect(rotated).toHaveLength(1);
    expect(JSON.parse(rotated[0]?.details ?? '{}')).toMatchObject({ keyId: newKeyId, unreadable: 0 });

    const again = await runCli(['rotate-keys', '--resume'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Done: 0 value\(s\) re-encrypted, \d+ already under key/);
  });

  it('with ENCRYPTION_KEYS, explains how to bring in a new key instead of writing a file', async () => {
    const file = JSON.parse(fs.readFileSync(keyFilePath(platform.config.DATA_DIR), 'utf8')) as { encryptionKeys: Array<{ id: string; key: string }>; blindIndexKey: string };
    const keyList = file.encryptionKeys.map((key) => `${key.id}:${key.key}`).join(',');
    const result = await runCli(['rotate-keys', '--new-key'], { ...env, ENCRYPTION_KEYS: keyList, BLIND_INDEX_KEY: file.blindIndexKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}k\d{8}[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/m);
    expect(result.stdout).toContain('Move it to the FRONT of ENCRYPTION_KEYS');
    const after = JSON.parse(fs.readFileSync(keyFilePath(platform.config.DATA_DIR), 'utf8')) as typeof file;
    expect(after.encryptionKeys).toHaveLength(file.encryptionKeys.length);
  });

  it('rotates the blind index key: every stored index moves to it, and people and accounts are found before, during and after', async () => {
    const db = platform.services.db.kysely;
    const service = platform.services.crypto; // the running service, started with the old key only
    const stored = await db.selectFrom('referral_people').selectAll().where('role', '=', 'person_at_risk').where('date_of_birth_enc', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const person = {
      firstName: service.decrypt(stored.first_name_enc),
      lastName: service.decryptOptional(stored.last_name_enc),
      dateOfBirth: service.decryptOptional(stored.date_of_birth_enc),
      phone: service.decryptOptional(stored.phone_enc),
      postcode: service.decryptOptional(stored.postcode_enc),
    };
    const always: EarlierWindows = { duplicateFromDay: '2000-01-01', duplicateSince: '2000-01-01', repeatSince: '2000-01-01', escalationSince: '2000-01-01' };
    const earlierReferral = async (crypto: FieldCrypto) => (await findEarlierReferrals(db, crypto, wantedPerson(crypto, person), null, always)).recentReferralId;
    const latestReferral = await earlierReferral(service);
    expect(latestReferral).not.toBeNull();
    const before = JSON.parse(fs.readFileSync(keyFilePath(platform.config.DATA_DIR), 'utf8')) as { blindIndexKey: string };

    const result = await runCli(['rotate-keys', '--blind-index', '--batch-size', '7'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/referral_people +\d+ row\(s\) re-indexed/);
    const after = JSON.parse(fs.readFileSync(keyFilePath(platform.config.DATA_DIR), 'utf8')) as { blindIndexKey: string; olderBlindIndexKeys: string[] };
    expect(after.blindIndexKey).not.toBe(before.blindIndexKey);
    expect(after.olderBlindIndexKeys).toContain(before.blindIndexKey);

    // Only the new key: what a service started after the old key is retired would have.
    const onlyNew = new FieldCrypto({ ...loadKeyMaterial(platform.config), blindIndexKeys: [Buffer.from(after.blindIndexKey, 'base64')] });
    const users = await db.selectFrom('users').select(['email_enc', 'email_index']).execute();
    for (const user of users) expect(user.email_index).toBe(emailIndex(onlyNew, onlyNew.decrypt(user.email_enc)));
    const moved = await db.selectFrom('referral_people').selectAll().where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(moved.name_index).not.toBe(stored.name_index);
    expect(moved.dob_index).toBe(onlyNew.blindIndex('referral-person-dob', person.dateOfBirth ?? ''));
    expect(await earlierReferral(onlyNew)).toBe(latestReferral);
    expect(await findUserRowByEmail(db, onlyNew, 'admin@demo.invalid')).toBeDefined();

    // The running service learns the new key to match with, and keeps indexing with its own until it restarts.
    expect(await earlierReferral(service)).toBe(latestReferral);
    expect((await platform.services.users.findByEmail('admin@demo.invalid'))?.name).toBe('Demo System Admin (synthetic)');
    const inviter = await platform.services.users.findByEmail('admin@demo.invalid');
    const organisation = await platform.services.reference.getOrganisationBySlug('kent-police');
    await platform.services.users.invite(
      { userId: inviter?.id ?? '', organisationId: inviter?.organisationId ?? '', roles: ['system_admin'] },
      { organisationId: organisation?.id ?? '', email: 'blind.rotation@demo.invalid', name: 'Synthetic Blind Rotation Invitee', roles: ['practitioner'] },
      { ip: '127.0.0.1', requestId: 'test' },
    );
    expect(await platform.services.users.findByEmail('blind.rotation@demo.invalid')).toBeDefined();
    expect(await findUserRowByEmail(db, onlyNew, 'blind.rotation@demo.invalid')).toBeUndefined();
    const resumed = await runCli(['rotate-keys', '--blind-index', '--resume'], env);
    expect(resumed.stdout).toMatch(/Done: 1 row\(s\) re-indexed/);
    expect(await findUserRowByEmail(db, onlyNew, 'blind.rotation@demo.invalid')).toBeDefined();

    const audited = await db.selectFrom('audit_events').select('details').where('action', '=', 'BLIND_INDEXES_ROTATED').orderBy('seq').execute();
    expect(audited.map((event) => JSON.parse(event.details) as unknown)).toEqual([expect.objectContaining({ unreadable: 0 }), expect.objectContaining({ rewritten: 1 })]);
  });

  it('with BLIND_INDEX_KEY, explains how to bring in a new blind index key instead of writing a file', async () => {
    const file = JSON.parse(fs.readFileSync(keyFilePath(platform.config.DATA_DIR), 'utf8')) as { blindIndexKey: string };
    const result = await runCli(['rotate-keys', '--blind-index', '--new-key'], { ...env, BLIND_INDEX_KEY: file.blindIndexKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}[A-Za-z0-9+/]{43}=$/m);
    expect(result.stdout).toContain('Move it to the FRONT of BLIND_INDEX_KEY');
    const refused = await runCli(['rotate-keys', '--blind-index', '--new-key'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--new-key is for keys kept in BLIND_INDEX_KEY');
    noStackTrace(refused.stderr);
  });

  it('seals new audit events under a new audit key, and the trail still verifies under both', async () => {
    const before = loadKeyMaterial(platform.config).auditKeys;
    const result = await runCli(['rotate-keys', '--audit'], env);
    expect(result.code).toBe(0);
    const after = loadKeyMaterial(platform.config).auditKeys;
    expect(after.slice(1)).toEqual(before);
    const [added] = after;
    expect(result.stdout).toContain(`Added audit key ${String(added?.id)} to ${keyFilePath(platform.config.DATA_DIR)} as the current one`);
    const event = await platform.services.db.kysely.selectFrom('audit_events').select('hash').where('action', '=', 'AUDIT_KEY_ADDED').executeTakeFirstOrThrow();
    expect(event.hash.startsWith(`${String(added?.id)}.`)).toBe(true);
    expect(await runCli(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Verified: \d+ events, no gaps, no edits \([\d.]+s\)\.\n$/) as unknown });
    // The running service, started under the older key, checks the new key's event at once (its integrity page says so).
    expect(await platform.services.audit.verify()).toMatchObject({ ok: true, problems: [] });

    const keyList = `a1:${Buffer.alloc(32, 9).toString('base64')}`;
    const steps = await runCli(['rotate-keys', '--audit', '--new-key'], { ...env, AUDIT_KEYS: keyList });
    expect(steps.code).toBe(0);
    expect(steps.stdout).toMatch(/^ {2}k\d{8}[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/m);
    expect(steps.stdout).toContain('Move it to the FRONT of AUDIT_KEYS');
    const refused = await runCli(['rotate-keys', '--audit'], { ...env, AUDIT_KEYS: keyList });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('AUDIT_KEYS is set, so the audit key is changed there');
    noStackTrace(refused.stderr);
  });

  it('verifies the audit trail, then names an edited event and reports a deleted one', async () => {
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^Verified: \d+ events, no gaps, no edits/);

    const db = platform.services.db.kysely;
    const tamper = (work: () => Promise<unknown>) => tamperWithAudit(platform.services.db, work);
    const edited = await db.selectFrom('audit_events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    // The application's own connection cannot change an event: the database refuses.
    await expect(db.updateTable('audit_events').set({ details: '{}' }).where('seq', '=', 3).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').where('seq', '=', 3).execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable('audit_chain_head').set({ seq: 1 }).where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
    await tamper(() => db.updateTable('audit_events').set({ details: '{"organisationId":"someone-else"}' }).where('seq', '=', 3).execute());
    const afterEdit = await runCli(['audit', 'verify'], env);
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.stderr).toContain('The audit trail has been tampered with');
    expect(afterEdit.stderr).toContain('Event 3 has been edited since it was written.');
    noStackTrace(afterEdit.stderr);

    await tamper(() => db.updateTable('audit_events').set({ details: edited.details }).where('seq', '=', 3).execute());
    expect((await runCli(['audit', 'verify'], env)).code).toBe(0);

    await tamper(() => db.deleteFrom('audit_events').where('seq', '=', 5).execute());
    const afterDelete = await runCli(['audit', 'verify'], env);
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.stderr).toContain('Events 5 to 5 are missing (deleted).');
  });

  it('reports events deleted from the end of the trail, which leave no gap behind them', async () => {
    const db = platform.services.db.kysely;
    const last = await db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await tamperWithAudit(platform.services.db, () => db.deleteFrom('audit_events').where('seq', '>', last.seq - 2).execute());
    const afterDelete = await runCli(['audit', 'verify'], env);
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.stderr).toContain(`Events ${String(last.seq - 1)} to ${String(last.seq)} are missing (deleted from the end).`);
  });

  it('finds a trail cut at its end together with its head, from an anchor the hourly job logged', async () => {
    const db = platform.services.db.kysely;
    await platform.services.audit.record({ action: 'SIGN_IN_FAILED', outcome: 'failure' });
    const anchor = await platform.services.audit.anchor();
    const anchorText = `${String(anchor?.seq)}:${String(anchor?.hash)}`;
    await tamperWithAudit(platform.services.db, async () => {
      const kept = await db.selectFrom('audit_events').select(['seq', 'hash']).where('seq', '<', anchor?.seq ?? 0).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      await db.deleteFrom('audit_events').where('seq', '>', kept.seq).execute();
      await db.updateTable('audit_chain_head').set({ seq: kept.seq, hash: kept.hash }).where('id', '=', 1).execute();
    });
    const cut = await runCli(['audit', 'verify', '--anchor', anchorText], env);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(`Event ${String(anchor?.seq)}, anchored in the log, is missing (deleted).`);

    const wrong = await runCli(['audit', 'verify', '--anchor', 'yesterday'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--anchor takes an anchor as the log writes it');
    noStackTrace(wrong.stderr);
  });

  it('reports events stored after the record of the last event written, which the platform never writes', async () => {
    const db = platform.services.db.kysely;
    const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const model = await db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.insertInto('audit_events').values({ ...model, seq: head.seq + 1, id: '01a24923-0000-7000-8000-00000000f0f0', prev_hash: head.hash, hash: 'f'.repeat(64) }).execute();
    const forged = await runCli(['audit', 'verify'], env);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain(`Event ${String(head.seq + 1)} was stored after the last event the platform wrote`);
  });
});
