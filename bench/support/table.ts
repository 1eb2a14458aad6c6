import type { BenchRow } from './types.js';

/** A plain-text table: one line per figure, with its target and whether this run met it. */
export function printTable(rows: readonly BenchRow[]): void {
  const header = ['scenario', 'database', 'measure', 'target', 'measured', 'pass'];
  const cells = rows.map((row) => [row.scenario, row.database, row.measure, row.target, row.measured, row.pass === undefined ? '' : row.pass ? 'yes' : 'NO']);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)));
  const format = (line: readonly string[]) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  process.stdout.write(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('-|-')}\n${cells.map(format).join('\n')}\n`);
}
