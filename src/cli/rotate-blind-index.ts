import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { addBlindIndexKeyToFile, keyFilePath } from '../platform/crypto/keys.js';
import { allBlindIndexes, reindexAll, type TableRotation } from '../platform/crypto/rotation.js';
import { MODULES } from '../modules/index.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

export interface BlindIndexRotation {
  readonly newKey?: boolean;
  readonly resume?: boolean;
  readonly batchSize: number;
}

const ENV_STEPS = (key: string) => [
  'A new blind index key (secret: keep it wherever BLIND_INDEX_KEY is kept, never in the repository):',
  '',
  `  ${key}`,
  '',
  'To bring it in without stopping the service (BLIND_INDEX_KEY takes several keys separated by commas):',
  '  1. Add it at the END of BLIND_INDEX_KEY on every instance, restarting them one at a time.',
  '     Every instance then matches people and accounts under both keys, while still indexing with the current one.',
  '  2. Move it to the FRONT of BLIND_INDEX_KEY on every instance, restarting them one at a time.',
  '     New records are now indexed with it.',
  '  3. Run `npm run cli -- rotate-keys --blind-index` with the new BLIND_INDEX_KEY: it works out every stored index again.',
  '  4. Remove the old key from BLIND_INDEX_KEY on every instance. Keep it with any backup made before step 3:',
  '     after restoring such a backup, list it again at the end and repeat step 3.',
];

function describe(result: TableRotation): string {
  const parts = [`${String(result.rewritten)} row(s) re-indexed`, `${String(result.alreadyCurrent)} already current`];
  if (result.changedMeanwhile > 0) parts.push(`${String(result.changedMeanwhile)} row(s) changed by the service meanwhile`);
  if (result.unreadable.length > 0) parts.push(`${String(result.unreadable.length)} unreadable`);
  return `  ${result.table.padEnd(28)} ${parts.join(', ')}`;
}

/**
 * `rotate-keys --blind-index`: the keyed fingerprints used to find the same person or account move to a new key, so
 * a blind index key that may have leaked stops being useful. Indexes are worked out again from the encrypted values.
 */
export async function rotateBlindIndexKey(config: Config, options: BlindIndexRotation): Promise<void> {
  const fromEnvironment = Boolean(config.BLIND_INDEX_KEY);
  if (options.newKey) {
    if (!fromEnvironment) throw new OperatorError('--new-key is for keys kept in BLIND_INDEX_KEY. With the embedded key file, run `rotate-keys --blind-index` on its own: it adds the key for you.');
    say(...ENV_STEPS(randomBytes(32).toString('base64')));
    return;
  }
  if (options.resume && fromEnvironment) throw new OperatorError('--resume is for the embedded key file. With BLIND_INDEX_KEY, `rotate-keys --blind-index` always indexes under the first key listed.');
  if (!fromEnvironment && !options.resume) {
    addBlindIndexKeyToFile(config.DATA_DIR);
    say(`Added a new blind index key to ${keyFilePath(config.DATA_DIR)} as the current one; the older ones stay there, so a running service keeps matching under them.`);
  }

  await withPlatform(async (services) => {
    say(`Working out blind indexes again under the current key, ${String(options.batchSize)} rows at a time:`);
    const results = await reindexAll(services.db, services.crypto, allBlindIndexes(MODULES), { batchSize: options.batchSize, onTable: (result) => { say(describe(result)); } });
    const total = (pick: (result: TableRotation) => number) => results.reduce((sum, result) => sum + pick(result), 0);
    const unreadable = results.flatMap((result) => result.unreadable);
    await services.audit.record({
      action: 'BLIND_INDEXES_ROTATED',
      outcome: unreadable.length > 0 ? 'failure' : 'success',
      details: { rewritten: total((result) => result.rewritten), changedMeanwhile: total((result) => result.changedMeanwhile), unreadable: unreadable.length, via: 'operator' },
    });
    say('', `Done: ${String(total((result) => result.rewritten))} row(s) re-indexed, ${String(total((result) => result.alreadyCurrent))} already under the current key.`);
    if (total((result) => result.changedMeanwhile) > 0) say('Some rows changed while this ran and kept the service’s own write; run the command again to pick them up.');
    if (!fromEnvironment && !options.resume) {
      say(
        'A running service already matches under the new key. It keeps indexing new records with the previous key until it restarts:',
        'restart it when convenient, then run `npm run cli -- rotate-keys --blind-index --resume` to re-index what it wrote meanwhile.',
      );
    }
    if (unreadable.length > 0) {
      process.stderr.write(['No configured key could decrypt the values these indexes are made from (they were left as they are):', ...unreadable.map((where) => `  - ${where}`), ''].join('\n'));
      process.exitCode = 1;
    }
  });
}
