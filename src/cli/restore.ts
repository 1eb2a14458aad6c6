import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import SQLite from 'better-sqlite3';
import { keyFilePath, loadKeyMaterial } from '../platform/crypto/keys.js';
import { POSTGRES_BACKUP_ADVICE } from './backup.js';
import { operatorConfig, OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';
import { inspectPlatformDatabase } from './sqlite-file.js';
import { runningFolder, runningServers } from '../platform/db/running-servers.js';

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .summary('Replace the SQLite database with a backup (stop the service first)')
    .description(
      'Replace the embedded SQLite database with a backup made by `backup`. Stop every instance of the service first. Without --force the backup is only checked (exit code 0 when it is healthy). The backup is checked (integrity, platform tables, migrations, the audit trail’s append-only protection, and that the configured keys can read it) before anything changes, and the current database is kept beside it; once in place its audit trail must verify, or the current database is put back. Sign-in sessions from the backup are ended, and access taken away since the backup (accounts disabled, API keys revoked, recovery codes and links used) stays taken away. On PostgreSQL, use pg_restore.',
    )
    .requiredOption('--from <file>', 'the backup file to restore')
    .option('--force', 'really replace the current database (without it, the backup is only checked)')
    .action(async (options: { from: string; force?: boolean }) => {
      const config = operatorConfig();
      if (config.DATABASE_URL) throw new OperatorError(POSTGRES_BACKUP_ADVICE);
      const source = path.resolve(options.from);
      if (source === config.sqliteFile) throw new OperatorError('That is the live database itself, not a backup.');
      if (!config.ENCRYPTION_KEYS && !fs.existsSync(keyFilePath(config.DATA_DIR))) {
        throw new OperatorError(`There are no keys at ${keyFilePath(config.DATA_DIR)}. Put back the keys.json that belongs with this backup (or set ENCRYPTION_KEYS, BLIND_INDEX_KEY and AUDIT_KEYS) before restoring.`);
      }
      const summary = inspectPlatformDatabase(source, loadKeyMaterial(config));
      say(`${source} is a healthy platform database: ${String(summary.users)} users, ${String(summary.auditEvents)} audit events, schema ${summary.latestMigration}.`);
      // Without --force the backup is only checked: a healthy one exits 0, so a nightly check can rely on the code.
      if (!options.force) {
        say(`Not restored: this would replace everything in ${config.sqliteFile}. Stop every instance of the service, then run the same command with --force.`);
        return;
      }
      const running = runningServers(config.DATA_DIR);
      if (running.length > 0) {
        throw new OperatorError(
          `Not restored: the service is running from ${config.DATA_DIR} (process ${running.join(', ')}, marked in ${runningFolder(config.DATA_DIR)}). Stop every instance first, then run this again. Run restore on the machine or container the service runs in; if you are sure no service is running, delete that folder.`,
        );
      }
      let kept: string | undefined;
      if (fs.existsSync(config.sqliteFile)) {
        kept = `${config.sqliteFile}.before-restore-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}`;
        const current = new SQLite(config.sqliteFile, { fileMustExist: true });
        current.pragma('wal_checkpoint(TRUNCATE)');
        current.close();
        fs.copyFileSync(config.sqliteFile, kept);
      }
      await restoreInto(source, config.sqliteFile);
      await refuseEditedTrail(source, config.sqliteFile, kept);
      // Sessions in the backup may since have been signed out (sign out everywhere, an account disabled): none is
      // brought back to life, so everyone signs in again. Ended at once, before anything else can fail.
      const ended = endSessions(config.sqliteFile);
      const keptAway = kept ? keepAccessTakenAway(config.sqliteFile, kept) : NOTHING_TAKEN_AWAY;
      // The restored trail records its own restoring, so an auditor sees the jump back in time. A backup made by an
      // earlier release is brought up to this one's schema first, as the service would on start.
      await withPlatform(async (services) => {
        await services.audit.record({ action: 'DATABASE_RESTORED', details: { backupFile: path.basename(source), eventsInBackup: summary.auditEvents, sessionsEnded: ended, ...keptAway, via: 'operator' } });
      });
      say(
        `Restored ${config.sqliteFile} from ${source} (schema ${summary.latestMigration}, brought up to date).`,
        ...(kept ? [`The database as it was before is kept at ${kept}.`] : []),
        `${String(ended)} sign-in session(s) from the backup were ended: everyone signs in again.`,
        `Access taken away since the backup stays away: ${String(keptAway.accountsDisabled)} account(s) disabled again, ${String(keptAway.apiKeysRevoked)} API key(s) revoked again, ${String(keptAway.recoveryCodesUsed)} recovery code(s) and ${String(keptAway.linksUsed)} invitation or reset link(s) used since.`,
        'Start the service again.',
      );
    });
}

/**
 * The restored trail must verify before anything else is done with it: a backup whose events were edited or deleted
 * (its triggers dropped and put back) is taken away again, and the database as it was is put back.
 */
async function refuseEditedTrail(source: string, live: string, kept: string | undefined): Promise<void> {
  const verification = await withPlatform((services) => services.audit.verify(), { migrate: false });
  if (verification.ok) return;
  if (kept) await restoreInto(kept, live);
  else for (const file of [live, `${live}-wal`, `${live}-shm`]) fs.rmSync(file, { force: true });
  throw new OperatorError(
    [
      `Not restored: the audit trail in ${source} has been tampered with (${String(verification.problems.length)} problem(s) in ${String(verification.checked)} events checked):`,
      ...verification.problems.slice(0, 10).map((problem) => `  - ${problem}`),
      kept ? `The database as it was is back in place (a copy is also kept at ${kept}).` : 'Nothing was left in its place.',
    ].join('\n'),
  );
}

function endSessions(file: string): number {
  const database = new SQLite(file, { fileMustExist: true });
  try {
    return database.prepare('delete from sessions').run().changes;
  } finally {
    database.close();
  }
}

const NOTHING_TAKEN_AWAY = { accountsDisabled: 0, apiKeysRevoked: 0, recoveryCodesUsed: 0, linksUsed: 0 };

/**
 * A backup holds the access of its day. Whatever was taken away since (an account disabled, an API key revoked, a
 * single-use recovery code or link used) is taken away again from the database as it was before the restore, so
 * going back in time never brings back a way in that someone closed.
 */
function keepAccessTakenAway(file: string, before: string): typeof NOTHING_TAKEN_AWAY {
  const database = new SQLite(file, { fileMustExist: true });
  try {
    database.prepare('attach database ? as before').run(before);
    // A backup made before a table existed (or a database before one) has nothing of it to carry over.
    const inBoth = (table: string) => ['main', 'before'].every((schema) => database.prepare(`select 1 from ${schema}.sqlite_master where type = 'table' and name = ?`).get(table));
    const changed = (table: string, sql: string) => (inBoth(table) ? database.prepare(sql).run().changes : 0);
    return database.transaction(() => ({
      accountsDisabled: changed('users', "update users set status = 'disabled', version = users.version + 1, updated_at = b.updated_at from before.users b where b.id = users.id and b.status = 'disabled' and users.status <> 'disabled'"),
      apiKeysRevoked: changed('api_keys', 'update api_keys set revoked_at = b.revoked_at, revoked_by_user_id = b.revoked_by_user_id from before.api_keys b where b.id = api_keys.id and b.revoked_at is not null and api_keys.revoked_at is null'),
      recoveryCodesUsed: changed('recovery_codes', 'update recovery_codes set used_at = b.used_at from before.recovery_codes b where b.id = recovery_codes.id and b.used_at is not null and recovery_codes.used_at is null'),
      linksUsed: changed('user_tokens', 'update user_tokens set used_at = b.used_at from before.user_tokens b where b.id = user_tokens.id and b.used_at is not null and user_tokens.used_at is null'),
    }))();
  } finally {
    database.close();
  }
}

/** Copies page by page through SQLite itself, so the target's write-ahead log cannot leave old pages behind. */
async function restoreInto(source: string, target: string): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const from = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(target);
  } finally {
    from.close();
  }
}
