import { Command } from 'commander';
import { misspeltSettings } from '../config.js';
import { CLI_COMMANDS } from './index.js';
import { withTerminal, type Terminal } from './output.js';

/**
 * One invocation of `npm run cli -- <args>`, writing to the given terminal and answering its exit code. The
 * process's entry point (src/cli.ts) passes its own environment and streams; tests pass theirs.
 */
export async function runOperatorCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const program = new Command()
    .name('npm run cli --')
    .description('Operator commands for the Domestic Abuse Partnership Platform. Configuration comes from the environment, as for the server.')
    .configureOutput({ writeOut: (text) => void terminal.stdout.write(text), writeErr: (text) => void terminal.stderr.write(text) })
    .showHelpAfterError()
    .exitOverride();
  for (const register of CLI_COMMANDS) register(program);
  for (const warning of misspeltSettings(terminal.env)) terminal.stderr.write(`Warning: ${warning}\n`);
  try {
    return (await withTerminal(terminal, () => program.parseAsync(args, { from: 'user' }))) ? 0 : 1;
  } catch (error: unknown) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code;
    terminal.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
