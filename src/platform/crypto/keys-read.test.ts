import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../../test/support/cli.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { ConfigError } from '../../config.js';
import { MODULES } from '../../modules/index.js';
import { FieldCrypto } from './field-crypto.js';
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

  it('finds a value under a key no longer configured anywhere in a table, not only in its first or last row', async () => {
    const { db } = platform.services;
    const keys = loadKeyMaterial(platform.config);
    const users = await db.kysely.selectFrom('users').select(['id', 'name_enc']).orderBy('id').execute();
    const middle = users[Math.floor(users.length / 2)];
    if (!middle || users.length < 3) throw new Error('The demo holds too few users for this test.');
    const dropped = new FieldCrypto({ ...keys, encryptionKeys: [{ id: 'k_old', key: randomBytes(32) }] });
    await db.kysely.updateTable('users').set({ name_enc: dropped.encrypt('Synthetic Name Under An Old Key') }).where('id', '=', middle.id).execute();
    try {
      await expect(checkKeysReadData(db, keys, allEncryptedColumns(MODULES))).rejects.toThrow('The encryption keys configured cannot read the data in users, encrypted under key "k_old"');
    } finally {
      await db.kysely.updateTable('users').set({ name_enc: middle.name_enc }).where('id', '=', middle.id).execute();
    }
  });

  it('stops a command before it starts, with the message and no stack trace', async () => {
    const result = await runCli(['jobs', 'list'], cliEnv(platform.config, { ENCRYPTION_KEYS: `k9:${otherKey()}`, BLIND_INDEX_KEY: otherKey() }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The encryption keys configured cannot read the data in');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
