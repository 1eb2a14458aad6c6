import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { routingFileSchema, type RoutingFile } from './schema.js';

const SEED_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seed/routing-rules.json');

/** Reads and validates seed/routing-rules.json; a mistake in the file stops start-up with the path to fix. */
export function readRoutingFile(file: string = SEED_FILE): RoutingFile {
  const parsed = routingFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`${path.basename(file)} is not a valid routing rules file:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
