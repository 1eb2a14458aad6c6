import type { Command } from 'commander';
import { registerDemoCodeCommand } from './demo-code.js';
import { registerDirectoryCommand } from './directory-import-onspd.js';
import { registerJobsCommand } from './jobs.js';
import { registerApiKeysCommand } from './api-keys.js';
import { registerAuditCommand } from './audit.js';
import { registerBackupCommand } from './backup.js';
import { registerConfigTableCommand } from './config-table.js';
import { registerCreateUserCommand } from './create-user.js';
import { registerMigrateCommand } from './migrate.js';
import { registerOutboxCommand } from './outbox.js';
import { registerRestoreCommand } from './restore.js';
import { registerRotateKeysCommand } from './rotate-keys.js';
import { registerSeedCommand } from './seed.js';

/** One registration function per command file; a module adds its own commands here. */
export const CLI_COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerMigrateCommand,
  registerSeedCommand,
  registerCreateUserCommand,
  registerApiKeysCommand,
  registerRotateKeysCommand,
  registerAuditCommand,
  registerBackupCommand,
  registerRestoreCommand,
  registerConfigTableCommand,
  registerDemoCodeCommand,
  registerJobsCommand,
  registerOutboxCommand,
  registerDirectoryCommand,
];
