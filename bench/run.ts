/**
 * `npm run bench [-- --only platform,directory] [--duration 5]`: load benchmarks measured in one run, in one
 * process, against the real app on SQLite and (when DATABASE_URL is set) PostgreSQL. It prints a table of targets
 * and figures. It is not a test: figures depend on the machine, so nothing here fails a build.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios/index.js';
import { startBench } from './support/context.js';
import { printTable } from './support/table.js';
import type { BenchDialect, BenchRow } from './support/types.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    `Usage: npm run bench [-- --only <scenario,...>] [--duration <seconds per measurement>]\nScenarios: ${SCENARIOS.map((scenario) => `\n  ${scenario.name.padEnd(14)} ${scenario.description}`).join('')}\nSet DATABASE_URL=postgres://... to measure PostgreSQL as well as SQLite.\n`,
  );
  process.exit(0);
}

const durationSeconds = Number(values.duration);
if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new Error('--duration must be a positive number of seconds');
const wanted = values.only?.split(',').map((name) => name.trim());
const scenarios = SCENARIOS.filter((scenario) => !wanted || wanted.includes(scenario.name));
if (scenarios.length === 0) throw new Error(`No scenario called ${String(values.only)}. Known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
const dialects: BenchDialect[] = process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

process.stdout.write(`Benchmarking ${scenarios.map((scenario) => scenario.name).join(', ')} on ${dialects.join(' and ')}: Node ${process.version}, ${String(os.cpus().length)} CPU, ${String(durationSeconds)} s per measurement\n`);
const rows: BenchRow[] = [];
for (const dialect of dialects) {
  const bench = await startBench(dialect, durationSeconds);
  try {
    for (const scenario of scenarios) {
      process.stdout.write(`  ${dialect}: ${scenario.name}...\n`);
      rows.push(...(await scenario.run(bench.context)));
    }
  } finally {
    await bench.close();
  }
}
if (!process.env['DATABASE_URL']) process.stdout.write('(PostgreSQL not measured: set DATABASE_URL to include it.)\n');
printTable(rows);
const failed = rows.filter((row) => row.pass === false).length;
process.stdout.write(failed === 0 ? '\nAll targets met.\n' : `\n${String(failed)} target(s) missed on this machine.\n`);
