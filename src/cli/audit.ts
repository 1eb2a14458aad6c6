import type { Command } from 'commander';
import { say } from './output.js';
import { withPlatform } from './platform.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit trail.');

  audit
    .command('verify')
    .description('Check every audit event against the chain of fingerprints. Exits with code 1 and lists each event that was edited or deleted.')
    .action(async () => {
      await withPlatform(
        async (services) => {
          const started = performance.now();
          const result = await services.audit.verify();
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          if (result.ok) {
            say(`Verified: ${String(result.checked)} events, no gaps, no edits (${seconds}s).`);
            return;
          }
          process.stderr.write(
            [`The audit trail has been tampered with: ${String(result.problems.length)} problem(s) in ${String(result.checked)} events checked.`, ...result.problems.map((problem) => `  - ${problem}`), ''].join('\n'),
          );
          process.exitCode = 1;
        },
        { migrate: false },
      );
    });
}
