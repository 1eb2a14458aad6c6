import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { KeyMaterial } from './field-crypto.js';

const keyFileSchema = z.object({
  encryptionKeys: z.array(z.object({ id: z.string(), key: z.string() })).min(1),
  blindIndexKey: z.string(),
  /** Blind index keys rotated out: still matched, never used for new values. */
  olderBlindIndexKeys: z.array(z.string()).default([]),
});
type KeyFile = z.infer<typeof keyFileSchema>;

export interface KeySettings {
  readonly ENCRYPTION_KEYS?: string | undefined;
  readonly BLIND_INDEX_KEY?: string | undefined;
  readonly DATA_DIR: string;
}

export function keyFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'keys.json');
}

/** Keys from configuration, or for the embedded default a key file under DATA_DIR created on first start. */
export function loadKeyMaterial(settings: KeySettings): KeyMaterial {
  if (settings.ENCRYPTION_KEYS && settings.BLIND_INDEX_KEY) {
    return {
      encryptionKeys: parseKeyList(settings.ENCRYPTION_KEYS),
      blindIndexKeys: parseBlindIndexKeys(settings.BLIND_INDEX_KEY),
    };
  }
  const file = readOrCreateKeyFile(keyFilePath(settings.DATA_DIR));
  return {
    encryptionKeys: settings.ENCRYPTION_KEYS
      ? parseKeyList(settings.ENCRYPTION_KEYS)
      : file.encryptionKeys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') })),
    blindIndexKeys: settings.BLIND_INDEX_KEY
      ? parseBlindIndexKeys(settings.BLIND_INDEX_KEY)
      : [file.blindIndexKey, ...file.olderBlindIndexKeys].map((key) => Buffer.from(key, 'base64')),
  };
}

/** One base64 key, or during a rotation several separated by commas: the first indexes new values. */
export function parseBlindIndexKeys(list: string): Buffer[] {
  return list.split(',').map((key) => Buffer.from(key.trim(), 'base64'));
}

export function parseKeyList(list: string): Array<{ id: string; key: Buffer }> {
  return list.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':');
    if (!id || !key) throw new Error('ENCRYPTION_KEYS entries must look like id:base64key.');
    return { id, key: Buffer.from(key, 'base64') };
  });
}

export function newKeyId(): string {
  return `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(3).toString('hex')}`;
}

/** Adds a new current key to the embedded key file; older keys stay so existing values still decrypt. */
export function addKeyToFile(dataDir: string): string {
  const file = keyFilePath(dataDir);
  const current = readOrCreateKeyFile(file);
  const id = newKeyId();
  writeKeyFile(file, { ...current, encryptionKeys: [{ id, key: randomBytes(32).toString('base64') }, ...current.encryptionKeys] });
  return id;
}

/** Makes a new blind index key the current one in the embedded key file; the older ones stay listed, to match with. */
export function addBlindIndexKeyToFile(dataDir: string): void {
  const file = keyFilePath(dataDir);
  const current = readOrCreateKeyFile(file);
  writeKeyFile(file, { ...current, blindIndexKey: randomBytes(32).toString('base64'), olderBlindIndexKeys: [current.blindIndexKey, ...current.olderBlindIndexKeys] });
}

function readOrCreateKeyFile(file: string): KeyFile {
  if (fs.existsSync(file)) return keyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const created: KeyFile = {
    encryptionKeys: [{ id: newKeyId(), key: randomBytes(32).toString('base64') }],
    blindIndexKey: randomBytes(32).toString('base64'),
    olderBlindIndexKeys: [],
  };
  writeKeyFile(file, created);
  return created;
}

function writeKeyFile(file: string, content: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }); // the data folder, private like the files in it
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
