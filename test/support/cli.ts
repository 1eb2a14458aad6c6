import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOperatorCommand } from '../../src/cli/program.js';
import type { Config } from '../../src/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment an operator would have for this platform: the same data folder and database, nothing else. */
export function cliEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: config.DATA_DIR, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}), ...extra };
}

/**
 * Runs `npm run cli -- <args>` in this process, through the same function as the CLI's entry point, with `env` as
 * its whole environment. A process of its own costs a second or more of start-up per command; the entry point
 * itself is run as a process by `runCliProcess`.
 */
export async function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runOperatorCommand(args, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Runs `npm run cli -- <args>` as its own process (node with the tsx loader, as `npx tsx src/cli.ts` does). */
export function runCliProcess(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
