import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { addKeyToFile, keyFilePath, newKeyId } from '../platform/crypto/keys.js';
import { operatorConfig, OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';
import { runRotation } from './rotation-run.js';

interface RotateOptions {
  readonly blindIndex?: boolean;
  readonly audit?: boolean;
  readonly newKey?: boolean;
  readonly resume?: boolean;
  readonly batchSize: string;
}

const ENV_STEPS = (line: string) => [
  'A new key (secret: keep it wherever ENCRYPTION_KEYS is kept, never in the repository):',
  '',
  `  ${line}`,
  '',
  'To bring it in without stopping the service:',
  '  1. Add it at the END of ENCRYPTION_KEYS on every instance, restarting them one at a time.',
  '     Every instance can then read values under the new key, while still writing with the current one.',
  '  2. Move it to the FRONT of ENCRYPTION_KEYS on every instance, restarting them one at a time.',
  '     New values are now written with it.',
  '  3. Run `npm run cli -- rotate-keys` with the new ENCRYPTION_KEYS: it re-encrypts every older value.',
  '  4. Keep the old key listed (at the end) for as long as you keep backups made before step 3.',
];

export function registerRotateKeysCommand(program: Command): void {
  program
    .command('rotate-keys')
    .summary('Re-encrypt every encrypted value under a new key without stopping the service (--blind-index: re-index every blind index; --audit: seal new audit events under a new key)')
    .description(
      'Re-encrypt every encrypted value under a new key while the service keeps running. With the embedded key file (ENCRYPTION_KEYS unset) a new key is added to DATA_DIR/keys.json first; older keys stay so that nothing becomes unreadable. With ENCRYPTION_KEYS set, values are re-encrypted under the first key listed: use --new-key first to make one and see the steps. With --blind-index, the same for the blind index key (BLIND_INDEX_KEY): every stored index is worked out again from the encrypted values, and people and accounts are matched under every listed key meanwhile. With --audit, new audit events are sealed under a new audit key (AUDIT_KEYS); events already written keep their seals, checked under the older keys.',
    )
    .option('--blind-index', 'rotate the blind index key (BLIND_INDEX_KEY) instead of the encryption keys')
    .option('--audit', 'seal new audit events under a new audit key (AUDIT_KEYS); events already written keep theirs, checked under the older keys')
    .option('--new-key', 'with ENCRYPTION_KEYS (or BLIND_INDEX_KEY with --blind-index, AUDIT_KEYS with --audit): print a new key and the steps to bring it in; changes nothing')
    .option('--resume', 'with the embedded key file: work under the current key without adding another (after an interrupted run, or for values written before the service restarted)')
    .option('--batch-size <rows>', 'rows read per batch', '500')
    .action(async (options: RotateOptions) => {
      const config = operatorConfig();
      const fromEnvironment = Boolean(config.ENCRYPTION_KEYS);
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new OperatorError('--batch-size must be a whole number from 1 to 100000.');
      if (options.audit) {
        const { rotateAuditKey } = await import('./rotate-audit-key.js');
        await rotateAuditKey(config, { newKey: options.newKey });
        return;
      }
      if (options.blindIndex) {
        const { rotateBlindIndexKey } = await import('./rotate-blind-index.js');
        await rotateBlindIndexKey(config, { newKey: options.newKey, resume: options.resume, batchSize });
        return;
      }

      if (options.newKey) {
        if (!fromEnvironment) throw new OperatorError('--new-key is for keys kept in ENCRYPTION_KEYS. With the embedded key file, run `rotate-keys` on its own: it adds the key for you.');
        say(...ENV_STEPS(`${newKeyId()}:${randomBytes(32).toString('base64')}`));
        return;
      }
      if (options.resume && fromEnvironment) throw new OperatorError('--resume is for the embedded key file. With ENCRYPTION_KEYS, `rotate-keys` always re-encrypts under the first key listed.');
      if (!fromEnvironment && !options.resume) {
        const id = addKeyToFile(config.DATA_DIR);
        say(`Added key ${id} to ${keyFilePath(config.DATA_DIR)} as the current key; the older keys stay there so existing values remain readable.`);
      }

      const [{ allEncryptedColumns, reencryptAll }, { MODULES }] = await Promise.all([import('../platform/crypto/rotation.js'), import('../modules/index.js')]);
      await withPlatform(async (services) => {
        const keyId = services.crypto.currentKeyId;
        say(`Re-encrypting under key ${keyId}, ${String(batchSize)} rows at a time:`);
        await runRotation(services, (onTable) => reencryptAll(services.db, services.crypto, allEncryptedColumns(MODULES), { batchSize, onTable }), {
          action: 'KEYS_ROTATED',
          done: 'value(s) re-encrypted',
          under: `key ${keyId}`,
          details: { keyId },
          resume: 'rotate-keys --resume',
          nothingToDo: 'Nothing needed re-encrypting. To move to a new key, run `npm run cli -- rotate-keys --new-key` and follow its steps.',
          problems: 'No configured key could decrypt these values',
        }, { fromEnvironment, addedKey: !fromEnvironment && !options.resume });
      });
    });
}
