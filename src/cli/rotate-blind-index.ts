import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { addBlindIndexKeyToFile, keyFilePath } from '../platform/crypto/keys.js';
import { allBlindIndexes, reindexAll } from '../platform/crypto/rotation.js';
import { MODULES } from '../modules/index.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';
import { runRotation } from './rotation-run.js';

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
    await runRotation(services, (onTable) => reindexAll(services.db, services.crypto, allBlindIndexes(MODULES), { batchSize: options.batchSize, onTable }), {
      action: 'BLIND_INDEXES_ROTATED',
      done: 'row(s) re-indexed',
      under: 'the current key',
      details: {},
      resume: 'rotate-keys --blind-index --resume',
      nothingToDo: 'Nothing needed re-indexing. To move to a new blind index key, run `npm run cli -- rotate-keys --blind-index --new-key` and follow its steps.',
      problems: 'These rows could not be re-indexed',
    }, { fromEnvironment, addedKey: !fromEnvironment && !options.resume });
  });
}
