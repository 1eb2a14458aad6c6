import { AsyncLocalStorage } from 'node:async_hooks';
import { loadConfig, type Config } from '../config.js';

/** Somewhere text goes: the process's stdout or stderr, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
}

/** What one run of the CLI reads its settings from and writes to: the process's own, or a test's. */
export interface Terminal {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

interface Run {
  readonly terminal: Terminal;
  failed: boolean;
}

// Each run keeps its own terminal, so runs side by side in one process (tests) never write into each other's.
const currentRun = new AsyncLocalStorage<Run>();

function run(): Run {
  const store = currentRun.getStore();
  if (!store) throw new Error('An operator command ran outside withTerminal, with nowhere to write.');
  return store;
}

/** Runs one CLI invocation against a terminal; true when no command reported a failure on it. */
export async function withTerminal(terminal: Terminal, work: () => Promise<unknown>): Promise<boolean> {
  const state: Run = { terminal, failed: false };
  await currentRun.run(state, work);
  return !state.failed;
}

/** What the operator reads: plain lines on stdout. */
export function say(...lines: string[]): void {
  run().terminal.stdout.write(`${lines.join('\n')}\n`);
}

/** A problem the command reports and carries on past; the CLI then exits non-zero. */
export function complain(...lines: string[]): void {
  const current = run();
  current.terminal.stderr.write(`${lines.join('\n')}\n`);
  current.failed = true;
}

/** The settings of this run, from its environment, as the server reads its own. */
export function operatorConfig(): Config {
  return loadConfig(run().terminal.env);
}

/** Where a command's log lines go: stderr, beside its problems. */
export function logStream(): { write(text: string): void } {
  const { stderr } = run().terminal;
  return { write: (text: string) => void stderr.write(text) };
}

/** An expected failure: the CLI prints the message alone (no stack trace) and exits non-zero. */
export class OperatorError extends Error {}
