import type { Command } from 'commander';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

export function registerSeedCommand(program: Command): void {
  const seed = program.command('seed').description('Load reference data or synthetic demo data into the database.');

  seed
    .command('reference')
    .description("Load the partnership's reference data from seed/ (areas, postcode districts, organisations). Adds what is missing and leaves rows people have edited alone.")
    .action(async () => {
      await withPlatform(async (services) => {
        const counts = await services.reference.seedReference();
        say(`Reference data checked: ${String(counts.areas)} areas, ${String(counts.postcodeDistricts)} postcode districts, ${String(counts.organisations)} organisations (missing rows added).`);
      });
    });

  seed
    .command('demo')
    .description('Add clearly synthetic demo records and demo sign-ins (loads reference data first). Refused when NODE_ENV=production.')
    .action(async () => {
      await withPlatform(async (services) => {
        if (services.config.NODE_ENV === 'production') throw new OperatorError('Refusing to add demo data and demo sign-ins to a production site.');
        await services.reference.seedReference();
        const { seedDemo } = await import('../bootstrap.js');
        await seedDemo(services);
        say('Synthetic demo data and demo sign-ins are in place. See `npm run cli -- demo-code <email>` for their authenticator codes.');
      });
    });
}
