import type { Command } from 'commander';
import { unsealedNote, type AuditAnchor } from '../platform/audit/service.js';
import { complain, OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit trail.');

  audit
    .command('verify')
    .description('Check every audit event against the chain of fingerprints. Exits with code 1 and lists each event that was edited or deleted.')
    .option('--anchor <seq:hash...>', 'an "audit chain anchor" from the log (logged each hour): the event it names must still be there, unchanged, so a trail rewritten or cut inside the database is found')
    .action(async (options: { anchor?: string[] }) => {
      const anchors = (options.anchor ?? []).map(parseAnchor);
      await withPlatform(
        async (services) => {
          const started = performance.now();
          const result = await services.audit.verify(anchors);
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          if (result.ok) {
            const note = unsealedNote(result);
            say(`Verified: ${String(result.checked)} events, no gaps, no edits (${seconds}s).`, ...(note ? [note] : []));
            return;
          }
          complain(`The audit trail has been tampered with: ${String(result.problems.length)} problem(s) in ${String(result.checked)} events checked.`, ...result.problems.map((problem) => `  - ${problem}`));
        },
        { migrate: false },
      );
    });
}

function parseAnchor(text: string): AuditAnchor {
  const match = /^(\d{1,12}):((?:[A-Za-z0-9_-]{1,64}\.)?[0-9a-f]{64})$/.exec(text.trim());
  if (!match) throw new OperatorError(`--anchor takes an anchor as the log writes it, like 1234:k20261207a1b2c3.${'0'.repeat(64)}; "${text.slice(0, 80)}" is not one.`);
  return { seq: Number(match[1]), hash: match[2] ?? '' };
}
