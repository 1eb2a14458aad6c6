import { Command } from 'commander';
import { CLI_COMMANDS } from './cli/index.js';
import { misspeltSettings } from './config.js';

/** The operator CLI: `npm run cli -- <command> --help`. Each command reads the same configuration as the server. */
const program = new Command()
  .name('npm run cli --')
  .description('Operator commands for the Domestic Abuse Partnership Platform. Configuration comes from the environment, as for the server.')
  .showHelpAfterError()
  .exitOverride();

for (const register of CLI_COMMANDS) register(program);
for (const warning of misspeltSettings(process.env)) process.stderr.write(`Warning: ${warning}\n`);

try {
  await program.parseAsync(process.argv);
} catch (error: unknown) {
  const code = (error as { exitCode?: number }).exitCode;
  if (typeof code === 'number') process.exit(code);
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
