import fs from 'node:fs';
import type { Command } from 'commander';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

export function registerDirectoryCommand(program: Command): void {
  const directory = program.command('directory').description('Service directory operations.');

  directory
    .command('import-onspd')
    .description(
      'Import postcode coordinates from the ONS Postcode Directory CSV (the ONSPD "Data/ONSPD_..._UK.csv"), so the service finder and the Open Referral API can order by distance. Keeps Kent and Medway postcodes only unless --all. All or nothing: a damaged file changes nothing.',
    )
    .argument('<csv>', 'path to the ONSPD CSV file')
    .option('--all', 'keep every UK postcode, not only those in the partnership area')
    .action(async (file: string, options: { all?: boolean }) => {
      if (!fs.existsSync(file)) throw new OperatorError(`There is no file at ${file}.`);
      const { importOnspd, OnspdFormatError } = await import('../modules/directory/onspd-import.js');
      await withPlatform(async (services) => {
        try {
          const summary = await importOnspd(services, fs.createReadStream(file), { all: options.all ?? false });
          say(
            `Read ${String(summary.read)} rows; stored coordinates for ${String(summary.stored)} postcodes and ${String(summary.outwardCentroids)} postcode districts.`,
            `Skipped ${String(summary.skippedOutside)} outside the partnership area and ${String(summary.skippedNoLocation)} without a usable location.`,
            `Gave ${String(summary.locationsPlaced)} saved directory locations the coordinates of their postcodes.`,
          );
        } catch (error) {
          if (error instanceof OnspdFormatError) throw new OperatorError(error.message);
          throw error;
        }
      });
    });

  directory
    .command('generate')
    .description('Add N generated, clearly synthetic published services (for load tests). Refused when NODE_ENV=production.')
    .argument('<count>', 'how many services, e.g. 5000')
    .action(async (count: string) => {
      const n = Number.parseInt(count, 10);
      if (!Number.isFinite(n) || n < 1 || n > 100_000) throw new OperatorError('Give a number of services from 1 to 100000.');
      await withPlatform(async (services) => {
        if (services.config.NODE_ENV === 'production') throw new OperatorError('Refusing to add generated demo services to a production site.');
        const { seedGeneratedDirectory } = await import('../modules/directory/demo.js');
        const added = await seedGeneratedDirectory(services, n);
        say(`Added ${String(added)} generated synthetic services.`);
      });
    });
}
