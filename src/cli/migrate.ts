import type { Command } from 'commander';
import { say } from './output.js';
import { withPlatform } from './platform.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .summary('Bring the database schema up to date')
    .description('Bring the database schema up to date. The server also does this when it starts; safe to run more than once.')
    .action(async () => {
      const { migrateToLatest } = await import('../platform/db/migrate.js');
      await withPlatform(
        async (services) => {
          const applied = await migrateToLatest(services.db);
          say(applied.length === 0 ? 'The database is already up to date.' : `Applied ${String(applied.length)} migration(s):`, ...applied.map((name) => `  ${name}`));
        },
        { migrate: false },
      );
    });
}
