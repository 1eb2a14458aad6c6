import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../../config.js';
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
  return list.split(',').map((key) => key32('BLIND_INDEX_KEY', key));
}

export function parseKeyList(list: string): Array<{ id: string; key: Buffer }> {
  return list.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':');
    if (!id || !key) throw new ConfigError('ENCRYPTION_KEYS entries must look like id:base64key.');
    return { id, key: key32('ENCRYPTION_KEYS', key) };
  });
}

/** AES-256 and HMAC-SHA-256 keys are 32 bytes: a shorter one is a typing or copying mistake, named at start. */
function key32(setting: string, base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${setting} keys must be 32 bytes, written in base64 (for example \`openssl rand -base64 32\`); one is ${String(key.length)} bytes.`);
  return key;
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

/** The embedded database beside the key file (see config's sqliteFile): its values can only be read with that file. */
const DATABASE_FILE = 'platform.sqlite';

function readOrCreateKeyFile(file: string): KeyFile {
  if (fs.existsSync(file)) return readKeyFile(file);
  const database = path.join(path.dirname(file), DATABASE_FILE);
  if (fs.existsSync(database) && fs.statSync(database).size > 0) {
    // New keys could never read what the old ones encrypted, and would quietly start a second set of records.
    throw new ConfigError(
      `${file} is missing, but ${database} holds data encrypted with the keys that were in it. Put the key file back (from where it is kept apart from backups), or set ENCRYPTION_KEYS and BLIND_INDEX_KEY.`,
    );
  }
  const created: KeyFile = {
    encryptionKeys: [{ id: newKeyId(), key: randomBytes(32).toString('base64') }],
    blindIndexKey: randomBytes(32).toString('base64'),
    olderBlindIndexKeys: [],
  };
  writeKeyFile(file, created);
  return created;
}

function readKeyFile(file: string): KeyFile {
  try {
    return keyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    throw new ConfigError(`${file} is not a readable key file (it should hold encryptionKeys and blindIndexKey). Put back the copy kept apart from backups.`);
  }
}

function writeKeyFile(file: string, content: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }); // the data folder, private like the files in it
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
