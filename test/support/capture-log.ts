import type { Logger } from 'pino';
import { createLogger } from '../../src/platform/logging.js';

export interface CapturedLog {
  readonly logger: Logger;
  readonly lines: Array<Record<string, unknown>>;
  /** Every captured line as it would appear in the log file, for "nothing sensitive in the log" checks. */
  text(): string;
}

/** The production logger (same redaction), writing to memory so a test can read what would be logged. */
export function captureLog(level = 'debug'): CapturedLog {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, {
    write(line: string) {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines, text: () => raw.join('') };
}
