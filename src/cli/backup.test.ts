import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../test/support/cli.js';
import { DIALECT } from '../../test/support/platform.js';
import { openPlatform } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { markRunning } from '../platform/db/running-servers.js';

describe.runIf(DIALECT === 'sqlite')('backup and restore of the embedded database', { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  let backupFile: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-'));
    backupFile = path.join(dataDir, 'backups', 'platform-backup.sqlite');
    env = cliEnv(loadConfig({ DATA_DIR: dataDir }));
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['seed', 'demo'], env)).code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const inspect = async <T>(look: (services: Awaited<ReturnType<typeof openPlatform>>) => Promise<T>): Promise<T> => {
    const services = await openPlatform(loadConfig(env), { migrate: false });
    try {
      return await look(services);
    } finally {
      await services.db.destroy();
    }
  };

  it('backs up, refuses to restore without --force, then restores exactly what was backed up, signed-in sessions ended', async () => {
    await inspect(async (services) => {
      const admin = await services.users.findByEmail('admin@demo.invalid');
      await services.sessions.rotate(undefined, admin?.id ?? '', 'complete', '127.0.0.1');
    });
    const backup = await runCli(['backup', '--to', backupFile], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backed up to .*platform-backup\.sqlite .*8 users/);
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(['platform-backup.sqlite']);
    const recorded = await inspect((services) => services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'DATABASE_BACKED_UP').execute());
    expect(recorded.map((event) => JSON.parse(event.details) as unknown)).toEqual([{ backupFile: 'platform-backup.sqlite', via: 'operator' }]);
    expect((await runCli(['backup', '--to', backupFile], env)).stderr).toContain('already exists');
    for (const own of ['keys.json', 'platform.sqlite', 'platform.sqlite-wal']) {
      const clobber = await runCli(['backup', '--to', path.join(dataDir, own), '--overwrite'], env);
      expect(clobber.code, own).toBe(1);
      expect(clobber.stderr, own).toContain("is one of the platform's own files");
    }
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8'))).toBeTypeOf('object');

    const created = await runCli(['create-user', '--org', 'kent-police', '--email', 'after.backup@demo.invalid', '--name', 'Synthetic After Backup', '--roles', 'practitioner'], env);
    expect(created.code).toBe(0);

    // Without --force a healthy backup is only checked, and says so with exit code 0.
    const checked = await runCli(['restore', '--from', backupFile], env);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('is a healthy platform database');
    expect(checked.stdout).toContain('Stop every instance of the service, then run the same command with --force');
    expect(await inspect((services) => services.users.findByEmail('after.backup@demo.invalid'))).toBeDefined();

    // A server running from the same data folder (this test process stands in for it) stops the restore.
    const unmark = markRunning(dataDir);
    const whileRunning = await runCli(['restore', '--from', backupFile, '--force'], env);
    unmark();
    expect(whileRunning.code).toBe(1);
    expect(whileRunning.stderr).toContain(`the service is running from ${dataDir} (process ${String(process.pid)}, marked in`);
    expect(await inspect((services) => services.users.findByEmail('after.backup@demo.invalid'))).toBeDefined();

    const restored = await runCli(['restore', '--from', backupFile, '--force'], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('The database as it was before is kept at');
    expect(restored.stdout).toContain('1 sign-in session(s) from the backup were ended: everyone signs in again.');
    await inspect(async (services) => {
      expect(await services.db.kysely.selectFrom('sessions').select('id').execute()).toEqual([]);
      expect(await services.users.findByEmail('after.backup@demo.invalid')).toBeUndefined();
      expect((await services.users.findByEmail('admin@demo.invalid'))?.name).toBe('Demo System Admin (synthetic)');
      const restoredEvent = await services.db.kysely.selectFrom('audit_events').select('action').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      expect(restoredEvent?.action).toBe('DATABASE_RESTORED');
    });
    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
  });

  it('keeps away, after a restore, the access taken away since the backup: accounts disabled, API keys revoked, recovery codes used', async () => {
    const keyId = /Created API key (\S+)/.exec((await runCli(['api-keys', 'create', '--org', 'kent-police'], env)).stdout)?.[1] ?? '';
    const backup = path.join(dataDir, 'backups', 'before-access-taken-away.sqlite');
    expect((await runCli(['backup', '--to', backup], env)).code).toBe(0);
    expect((await runCli(['api-keys', 'revoke', keyId], env)).code).toBe(0);
    const { practitionerId, codeId } = await inspect(async (services) => {
      const practitioner = await services.users.findByEmail('practitioner@demo.invalid');
      const service = await services.users.findByEmail('service@demo.invalid');
      await services.db.kysely.updateTable('users').set({ status: 'disabled' }).where('id', '=', practitioner?.id ?? '').execute();
      const code = await services.db.kysely.selectFrom('recovery_codes').select('id').where('user_id', '=', service?.id ?? '').where('used_at', 'is', null).limit(1).executeTakeFirstOrThrow();
      await services.db.kysely.updateTable('recovery_codes').set({ used_at: new Date().toISOString() }).where('id', '=', code.id).execute();
      return { practitionerId: practitioner?.id ?? '', codeId: code.id };
    });

    const restored = await runCli(['restore', '--from', backup, '--force'], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Access taken away since the backup stays away: 1 account(s) disabled again, 1 API key(s) revoked again, 1 recovery code(s) and 0 invitation or reset link(s) used since.');
    await inspect(async (services) => {
      const kysely = services.db.kysely;
      expect((await kysely.selectFrom('users').select('status').where('id', '=', practitionerId).executeTakeFirstOrThrow()).status).toBe('disabled');
      expect((await kysely.selectFrom('api_keys').select('revoked_at').where('id', '=', keyId).executeTakeFirstOrThrow()).revoked_at).not.toBeNull();
      expect((await kysely.selectFrom('recovery_codes').select('used_at').where('id', '=', codeId).executeTakeFirstOrThrow()).used_at).not.toBeNull();
      const event = await kysely.selectFrom('audit_events').select('details').where('action', '=', 'DATABASE_RESTORED').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(JSON.parse(event.details)).toMatchObject({ accountsDisabled: 1, apiKeysRevoked: 1, recoveryCodesUsed: 1, linksUsed: 0 });
    });
  });

  it('refuses a file that is not a platform database, or one the configured keys cannot read', async () => {
    const junk = path.join(dataDir, 'not-a-database.sqlite');
    fs.writeFileSync(junk, 'this is not a database at all, just synthetic text '.repeat(200));
    const notDatabase = await runCli(['restore', '--from', junk, '--force'], env);
    expect(notDatabase.code).toBe(1);
    expect(notDatabase.stderr).toContain('is not a readable SQLite database');
    expect(notDatabase.stderr).not.toMatch(/\n\s+at /);

    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-other-'));
    try {
      const otherEnv = cliEnv(loadConfig({ DATA_DIR: otherDir }));
      expect((await runCli(['migrate'], otherEnv)).code).toBe(0);
      const noKeys = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-nokeys-'));
      const missingKeys = await runCli(['restore', '--from', backupFile, '--force'], cliEnv(loadConfig({ DATA_DIR: noKeys })));
      expect(missingKeys.stderr).toContain('There are no keys at');
      fs.rmSync(noKeys, { recursive: true, force: true });
      const wrongKeys = await runCli(['restore', '--from', backupFile, '--force'], otherEnv);
      expect(wrongKeys.code).toBe(1);
      expect(wrongKeys.stderr).toContain('The encryption keys configured here cannot read');

      // The same field keys, but not the audit key that sealed the backup's trail (a backup made after rotate-keys --audit).
      const ownKeys = JSON.parse(fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8')) as Record<string, unknown>;
      const otherAudit = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-cli-otheraudit-'));
      fs.writeFileSync(path.join(otherAudit, 'keys.json'), JSON.stringify({ ...ownKeys, auditKeys: [{ id: 'a-other', key: randomBytes(32).toString('base64') }] }), { mode: 0o600 });
      const wrongAudit = await runCli(['restore', '--from', backupFile, '--force'], cliEnv(loadConfig({ DATA_DIR: otherAudit })));
      fs.rmSync(otherAudit, { recursive: true, force: true });
      expect(wrongAudit.code).toBe(1);
      expect(wrongAudit.stderr).toMatch(/The audit keys configured here did not seal .*its newest event is sealed under key "k\d{8}[0-9a-f]{6}"/);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a backup whose audit trail was changed outside the platform, and leaves the database as it was', async () => {
    const base = path.join(dataDir, 'backups', 'trail-base.sqlite');
    expect((await runCli(['backup', '--to', base], env)).code).toBe(0);
    expect((await runCli(['create-user', '--org', 'kent-police', '--email', 'after.trail@demo.invalid', '--name', 'Synthetic After Trail', '--roles', 'practitioner'], env)).code).toBe(0);
    const PROTECTION = ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_head_forward_only', 'audit_chain_head_no_delete'];
    const tampered = (name: string, change: (database: SQLite.Database) => void) => {
      const file = path.join(dataDir, 'backups', name);
      fs.copyFileSync(base, file);
      const database = new SQLite(file);
      try {
        change(database);
      } finally {
        database.close();
      }
      return file;
    };
    const rewrite = (database: SQLite.Database) => {
      for (const trigger of PROTECTION) database.exec(`drop trigger ${trigger}`);
      database.prepare("update audit_events set outcome = 'denied' where seq = 3").run();
      database.prepare('delete from audit_events where seq = 5').run();
    };

    const opened = await runCli(['restore', '--from', tampered('open-trail.sqlite', rewrite), '--force'], env);
    expect(opened.code).toBe(1);
    expect(opened.stderr).toContain(`has lost the audit trail's append-only protection (no ${PROTECTION.join(', ')} trigger)`);

    const hidden = tampered('hidden-edit.sqlite', (database) => {
      const definitions = PROTECTION.map((name) => database.prepare("select sql from sqlite_master where type = 'trigger' and name = ?").get(name) as { sql: string });
      rewrite(database);
      for (const { sql } of definitions) database.exec(sql);
    });
    const edited = await runCli(['restore', '--from', hidden, '--force'], env);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/^Not restored: the audit trail in .*hidden-edit\.sqlite has been tampered with \(\d+ problem\(s\)/);
    expect(edited.stderr).toContain('The database as it was is back in place');
    expect(await inspect((services) => services.users.findByEmail('after.trail@demo.invalid'))).toBeDefined();
    expect((await runCli(['audit', 'verify'], env)).code).toBe(0);
  });
});

describe.runIf(DIALECT === 'postgres')('backup and restore on PostgreSQL', { timeout: 120_000 }, () => {
  it('points the operator to pg_dump and pg_restore and exits non-zero', async () => {
    const env = cliEnv(loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_URL: process.env['DATABASE_URL'] ?? '' }));
    for (const args of [['backup', '--to', path.join(os.tmpdir(), 'never-written.sqlite')], ['restore', '--from', path.join(os.tmpdir(), 'never-read.sqlite'), '--force']]) {
      const result = await runCli(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('pg_dump');
      expect(result.stderr).toContain('pg_restore');
    }
  });
});
