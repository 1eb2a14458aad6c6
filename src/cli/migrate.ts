import type { Command } from 'commander';
import { operatorConfig, say } from './output.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .summary('Bring the database schema up to date')
    .description('Bring the database schema up to date. The server also does this when it starts; safe to run more than once.')
    .action(async () => {
      const { migrateDatabase } = await import('../bootstrap.js');
      const applied = await migrateDatabase(operatorConfig());
      say(applied.length === 0 ? 'The database is already up to date.' : `Applied ${String(applied.length)} migration(s):`, ...applied.map((name) => `  ${name}`));
    });
}
