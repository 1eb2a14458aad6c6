import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../config.js';
import { keyFilePath, loadKeyMaterial } from '../platform/crypto/keys.js';
import { POSTGRES_BACKUP_ADVICE } from './backup.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';
import { inspectPlatformDatabase } from './sqlite-file.js';
import { runningFolder, runningServers } from '../platform/db/running-servers.js';

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .summary('Replace the SQLite database with a backup (stop the service first)')
    .description(
      'Replace the embedded SQLite database with a backup made by `backup`. Stop every instance of the service first. Without --force the backup is only checked (exit code 0 when it is healthy). The backup is checked (integrity, platform tables, migrations, and that the configured keys can read it) before anything changes, and the current database is kept beside it. On PostgreSQL, use pg_restore.',
    )
    .requiredOption('--from <file>', 'the backup file to restore')
    .option('--force', 'really replace the current database (without it, the backup is only checked)')
    .action(async (options: { from: string; force?: boolean }) => {
      const config = loadConfig(process.env);
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
      // Sessions in the backup may since have been signed out (sign out everywhere, an account disabled): none is
      // brought back to life, so everyone signs in again. Ended at once, before anything else can fail.
      const ended = endSessions(config.sqliteFile);
      // The restored trail records its own restoring, so an auditor sees the jump back in time. A backup made by an
      // earlier release is brought up to this one's schema first, as the service would on start.
      await withPlatform(async (services) => {
        await services.audit.record({ action: 'DATABASE_RESTORED', details: { backupFile: path.basename(source), eventsInBackup: summary.auditEvents, sessionsEnded: ended, via: 'operator' } });
      });
      say(
        `Restored ${config.sqliteFile} from ${source} (schema ${summary.latestMigration}, brought up to date).`,
        ...(kept ? [`The database as it was before is kept at ${kept}.`] : []),
        `${String(ended)} sign-in session(s) from the backup were ended: everyone signs in again.`,
        'Start the service again.',
      );
    });
}

function endSessions(file: string): number {
  const database = new SQLite(file, { fileMustExist: true });
  try {
    return database.prepare('delete from sessions').run().changes;
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
