/** What the operator reads: plain lines on stdout; problems on stderr. */
export function say(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** An expected failure: the CLI prints the message alone (no stack trace) and exits non-zero. */
export class OperatorError extends Error {}
