import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { keyFilePath } from '../platform/crypto/keys.js';
import { operatorConfig, OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';
import { inspectPlatformDatabase } from './sqlite-file.js';

export const POSTGRES_BACKUP_ADVICE =
  'This installation uses PostgreSQL (DATABASE_URL). Back it up with PostgreSQL tools instead: pg_dump --format=custom (or your provider’s snapshots and point-in-time recovery), and restore with pg_restore.';

/** The files the running platform keeps in DATA_DIR: a backup written over one of them would lose it. */
function platformFiles(config: Config): string[] {
  return [...['', '-wal', '-shm', '-journal'].map((suffix) => `${config.sqliteFile}${suffix}`), keyFilePath(config.DATA_DIR)].map((file) => path.resolve(file));
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .summary('Copy the SQLite database to a file while the service runs')
    .description(
      'Copy the embedded SQLite database to a file, consistently, while the service keeps running (SQLite online backup). Keep the encryption keys (DATA_DIR/keys.json) safe too, but stored apart from the backup. On PostgreSQL, use pg_dump.',
    )
    .requiredOption('--to <file>', 'where to write the backup, e.g. /backups/platform-2026-11-25.sqlite')
    .option('--overwrite', 'replace the file if it already exists')
    .action(async (options: { to: string; overwrite?: boolean }) => {
      const config = operatorConfig();
      if (config.DATABASE_URL) throw new OperatorError(POSTGRES_BACKUP_ADVICE);
      const target = path.resolve(options.to);
      if (platformFiles(config).includes(target)) throw new OperatorError(`${target} is one of the platform's own files (its database, the database's journal, or its keys): write the backup somewhere else.`);
      if (fs.existsSync(target) && !options.overwrite) throw new OperatorError(`${target} already exists. Choose another file name, or add --overwrite to replace it.`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const partial = `${target}.partial`;
      // Readable by the operator alone from its first byte (SQLite gives its journal the same permissions), and
      // never left behind half-written.
      fs.rmSync(partial, { force: true });
      fs.writeFileSync(partial, '', { mode: 0o600 });
      let summary: ReturnType<typeof inspectPlatformDatabase>;
      try {
        summary = await withPlatform(
          async (services) => {
            if (!services.db.sqlite) throw new OperatorError(POSTGRES_BACKUP_ADVICE);
            await services.db.sqlite.backup(partial);
            // A single self-contained file: no write-ahead log beside it to lose in a copy.
            const copy = new SQLite(partial);
            copy.pragma('journal_mode = DELETE');
            copy.close();
            const checked = inspectPlatformDatabase(partial);
            fs.renameSync(partial, target);
            // The whole database, identifying fields and all, now exists somewhere else as well: that is recorded.
            await services.audit.record({ action: 'DATABASE_BACKED_UP', details: { backupFile: path.basename(target), via: 'operator' } });
            return checked;
          },
          { migrate: false },
        );
      } catch (error) {
        fs.rmSync(partial, { force: true });
        throw error;
      }
      say(
        `Backed up to ${target} (${(fs.statSync(target).size / 1024 / 1024).toFixed(1)} MB): ${String(summary.users)} users, ${String(summary.auditEvents)} audit events, schema ${summary.latestMigration}.`,
        'Identifying fields inside are encrypted: the backup is only usable with the keys (DATA_DIR/keys.json, or ENCRYPTION_KEYS, BLIND_INDEX_KEY and AUDIT_KEYS). Store those safely, apart from the backup.',
      );
    });
}
