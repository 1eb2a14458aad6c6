/**
 * autocannon `setupRequest` hook, loaded by autocannon's worker thread with require() (workers cannot receive
 * functions): each request takes the next entry of the list in BENCH_REQUEST_CYCLE_FILE, across all
 * connections, so a list used with `amount` equal to its length sends every entry exactly once.
 */
// autocannon loads this hook with require(), so it is CommonJS; verbatimModuleSyntax then asks for require-style imports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fs = require('node:fs');

interface CycleEntry {
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

interface AutocannonRequest {
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

let entries: readonly CycleEntry[] | undefined;
let next = 0;

function setupRequest(request: AutocannonRequest): AutocannonRequest {
  if (!entries) {
    const file = process.env['BENCH_REQUEST_CYCLE_FILE'];
    if (!file) throw new Error('BENCH_REQUEST_CYCLE_FILE is not set');
    entries = JSON.parse(fs.readFileSync(file, 'utf8')) as CycleEntry[];
  }
  const entry = entries[next % entries.length];
  next += 1;
  if (!entry) return request;
  request.path = entry.path;
  if (entry.body !== undefined) request.body = entry.body;
  if (entry.headers) request.headers = { ...request.headers, ...entry.headers };
  return request;
}

export = setupRequest;
