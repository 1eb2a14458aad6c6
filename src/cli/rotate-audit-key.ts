import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { addAuditKeyToFile, keyFilePath, newKeyId } from '../platform/crypto/keys.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

const ENV_STEPS = (line: string) => [
  'A new audit key (secret: keep it wherever AUDIT_KEYS is kept, never in the repository or the database):',
  '',
  `  ${line}`,
  '',
  'To bring it in without stopping the service:',
  '  1. Add it at the END of AUDIT_KEYS on every instance, restarting them one at a time.',
  '     Every instance can then check events sealed under it, while still sealing with the current one.',
  '  2. Move it to the FRONT of AUDIT_KEYS on every instance, restarting them one at a time.',
  '     New events are now sealed with it.',
  '  3. Keep the old key listed for as long as the events it sealed are kept: without it they cannot be checked.',
  'A listed key still checks, so could seal, any event: if an audit key may have leaked, a new one does not undo it.',
  'Keep the audit anchors logged since, and check the trail against them (`audit verify --anchor`).',
];

/**
 * `rotate-keys --audit`: new events are sealed under a new audit key, on a schedule. Events already written keep the
 * seal of the key they were written under, so nothing is re-written: the older keys stay listed to check them.
 */
export async function rotateAuditKey(config: Config, options: { readonly newKey?: boolean }): Promise<void> {
  const fromEnvironment = Boolean(config.AUDIT_KEYS);
  if (options.newKey) {
    if (!fromEnvironment) throw new OperatorError('--new-key is for keys kept in AUDIT_KEYS. With the embedded key file, run `rotate-keys --audit` on its own: it adds the key for you.');
    say(...ENV_STEPS(`${newKeyId()}:${randomBytes(32).toString('base64')}`));
    return;
  }
  if (fromEnvironment) throw new OperatorError('AUDIT_KEYS is set, so the audit key is changed there: run `rotate-keys --audit --new-key` for a new key and the steps.');
  const id = addAuditKeyToFile(config.DATA_DIR);
  await withPlatform(async (services) => {
    await services.audit.record({ action: 'AUDIT_KEY_ADDED', details: { keyId: id } });
    say(
      `Added audit key ${id} to ${keyFilePath(config.DATA_DIR)} as the current one; the older keys stay there to check the events they sealed.`,
      'This event is sealed with it already. A running service checks with it at once; restart it for its new events to be sealed with it too.',
      'A listed key still checks, so could seal, any event: if an audit key may have leaked, keep the audit anchors logged since and check against them (`audit verify --anchor`).',
    );
  });
}
