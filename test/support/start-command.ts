import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Node's arguments in `npm start` (package.json), so tests and the bench start a server process exactly as an
 * operator does, memory settings included, without a copy of the command line to drift.
 */
export function startCommandArguments(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  // `exec` makes node the shell's replacement, so the signals npm passes on reach the server itself.
  const [program, ...args] = (manifest.scripts?.start ?? '').trim().replace(/^exec\s+/, '').split(/\s+/);
  if (program !== 'node' || args.length === 0) throw new Error(`npm start should exec node directly; package.json has "${String(manifest.scripts?.start)}"`);
  return args;
}
