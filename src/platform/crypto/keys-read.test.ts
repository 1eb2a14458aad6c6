import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../../test/support/cli.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { ConfigError } from '../../config.js';
import { MODULES } from '../../modules/index.js';
import { checkKeysReadData } from './keys-read.js';
import { loadKeyMaterial } from './keys.js';
import { allEncryptedColumns } from './rotation.js';

describe('opening the platform with keys that cannot read its data', { timeout: 60_000 }, () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const otherKey = () => randomBytes(32).toString('base64');

  it('passes with the keys the data was written with', async () => {
    await expect(checkKeysReadData(platform.services.db, loadKeyMaterial(platform.config), allEncryptedColumns(MODULES))).resolves.toBeUndefined();
  });

  it('is refused, naming the setting, when the key the data uses was dropped', async () => {
    const keys = { ...loadKeyMaterial(platform.config), encryptionKeys: [{ id: 'k9', key: randomBytes(32) }] };
    const refused = checkKeysReadData(platform.services.db, keys, allEncryptedColumns(MODULES));
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/The encryption keys configured cannot read the data in \w+, encrypted under key "[\w-]+"\. Keep every key the data still uses in ENCRYPTION_KEYS/);
  });

  it('stops a command before it starts, with the message and no stack trace', async () => {
    const result = await runCli(['jobs', 'list'], cliEnv(platform.config, { ENCRYPTION_KEYS: `k9:${otherKey()}`, BLIND_INDEX_KEY: otherKey() }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The encryption keys configured cannot read the data in');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
