import fs from 'node:fs';
import path from 'node:path';
import { hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../../config.js';
import type { KeyMaterial } from './field-crypto.js';

const keyFileSchema = z.object({
  encryptionKeys: z.array(z.object({ id: z.string(), key: z.string() })).min(1),
  blindIndexKey: z.string(),
  /** Blind index keys rotated out: still matched, never used for new values. */
  olderBlindIndexKeys: z.array(z.string()).default([]),
  /** Keys that seal audit events; the first seals new ones. Absent from files made before the chain was keyed. */
  auditKeys: z.array(z.object({ id: z.string(), key: z.string() })).min(1).optional(),
  /** The last event written before the trail was sealed (0 for a trail sealed from its start): see PlatformKeys. */
  auditUnsealedUntil: z.number().int().min(0).optional(),
});
type KeyFile = z.infer<typeof keyFileSchema>;

export interface KeySettings {
  readonly ENCRYPTION_KEYS?: string | undefined;
  readonly BLIND_INDEX_KEY?: string | undefined;
  readonly AUDIT_KEYS?: string | undefined;
  readonly AUDIT_UNSEALED_UNTIL?: number | undefined;
  readonly DATA_DIR: string;
}

/** Everything the platform is keyed with: the field keys, and the keys that seal the audit chain. */
export interface PlatformKeys extends KeyMaterial {
  /** The first seals new audit events; every one is used to check events sealed under it. */
  readonly auditKeys: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;
  /**
   * Events up to this number were written before the trail was sealed and may carry a plain hash; every later one
   * must be sealed. Kept outside the database (AUDIT_UNSEALED_UNTIL, or the key file), so nobody able only to write
   * to the database can pass a rebuilt trail off as an old one. Null until recorded: a key file from before the
   * audit key, recorded at the next start (recordAuditKeying).
   */
  readonly auditUnsealedUntil: number | null;
}

export function keyFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'keys.json');
}

/** Keys from configuration, or for the embedded default a key file under DATA_DIR created on first start. */
export function loadKeyMaterial(settings: KeySettings): PlatformKeys {
  // Settings first, so a mistyped one is named before anything is read or written.
  const encryptionKeys = settings.ENCRYPTION_KEYS ? parseKeyList(settings.ENCRYPTION_KEYS) : undefined;
  const blindIndexKeys = settings.BLIND_INDEX_KEY ? parseBlindIndexKeys(settings.BLIND_INDEX_KEY) : undefined;
  const auditKeys = settings.AUDIT_KEYS ? parseKeyList(settings.AUDIT_KEYS, 'AUDIT_KEYS') : undefined;
  const auditFromSettings = auditKeys && { auditKeys, auditUnsealedUntil: settings.AUDIT_UNSEALED_UNTIL ?? 0 };
  if (encryptionKeys && blindIndexKeys && auditFromSettings) return { encryptionKeys, blindIndexKeys, ...auditFromSettings };
  // With both field keys set, the file is read for the audit key alone: a new one cannot hide earlier data.
  const file = readOrCreateKeyFile(keyFilePath(settings.DATA_DIR), { besideData: !(encryptionKeys && blindIndexKeys) });
  return {
    encryptionKeys: encryptionKeys ?? decodedKeys(file.encryptionKeys),
    blindIndexKeys: blindIndexKeys ?? [file.blindIndexKey, ...file.olderBlindIndexKeys].map((key) => Buffer.from(key, 'base64')),
    ...(auditFromSettings ?? auditKeyingOf(file)),
  };
}

/**
 * A key file from before the audit key gets one derived from its oldest encryption key (HKDF), the same in every
 * process that reads it, so processes starting together agree on it; it is written to the file, with where the
 * unsealed start of the trail ends, at the next start (recordAuditKeying).
 */
function auditKeyingOf(file: KeyFile): Pick<PlatformKeys, 'auditKeys' | 'auditUnsealedUntil'> {
  if (file.auditKeys) return { auditKeys: decodedKeys(file.auditKeys), auditUnsealedUntil: file.auditUnsealedUntil ?? null };
  const oldest = file.encryptionKeys[file.encryptionKeys.length - 1] ?? { id: 'none', key: '' };
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(oldest.key, 'base64'), Buffer.alloc(0), 'audit chain seal', 32));
  return { auditKeys: [{ id: `audit-${oldest.id}`, key }], auditUnsealedUntil: null };
}

/**
 * Writes into the embedded key file, if it is not there yet, the audit key and the last event written before it
 * (`lastEventSeq`): from then on a plain hash after that event is reported, whatever the database says.
 * Returns the number recorded (another process's, if it recorded first).
 */
export function recordAuditKeying(dataDir: string, lastEventSeq: number): number {
  const file = keyFilePath(dataDir);
  const current = readKeyFile(file);
  if (current.auditKeys && current.auditUnsealedUntil !== undefined) return current.auditUnsealedUntil;
  writeKeyFile(file, { ...current, auditKeys: encodedAuditKeysOf(current), auditUnsealedUntil: lastEventSeq });
  return lastEventSeq;
}

/** The file's audit keys as stored, the derived one included for a file from before the audit key. */
function encodedAuditKeysOf(file: KeyFile): Array<{ id: string; key: string }> {
  return auditKeyingOf(file).auditKeys.map(({ id, key }) => ({ id, key: key.toString('base64') }));
}

function decodedKeys(keys: ReadonlyArray<{ id: string; key: string }>): Array<{ id: string; key: Buffer }> {
  return keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
}

/** One base64 key, or during a rotation several separated by commas: the first indexes new values. */
export function parseBlindIndexKeys(list: string): Buffer[] {
  return list.split(',').map((key) => key32('BLIND_INDEX_KEY', key));
}

/** Whether `text` could be a key id: letters, digits, - and _, at most 64 (ids are stored beside values and seals). */
export function isKeyId(text: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(text);
}

export function parseKeyList(list: string, setting = 'ENCRYPTION_KEYS'): Array<{ id: string; key: Buffer }> {
  const keys = list.split(',').map((entry, index) => {
    const [id, key] = entry.trim().split(':');
    if (!id || !key) throw new ConfigError(`${setting} entries must look like id:base64key.`);
    // The entry is not echoed: written the wrong way round, its "id" would be the key.
    if (!isKeyId(id)) throw new ConfigError(`${setting} key ids may use only letters, digits, - and _ (at most 64); entry ${String(index + 1)}'s does not.`);
    return { id, key: key32(setting, key) };
  });
  const ids = keys.map(({ id }) => id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new ConfigError(`${setting} lists the key id "${repeated}" twice: each key needs an id of its own.`);
  return keys;
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
  const added = newKeyEntry();
  writeKeyFile(file, { ...current, encryptionKeys: [added, ...current.encryptionKeys] });
  return added.id;
}

/** Adds a new current audit key to the embedded key file; the older ones stay, to check the events they sealed. */
export function addAuditKeyToFile(dataDir: string): string {
  const file = keyFilePath(dataDir);
  const current = readOrCreateKeyFile(file);
  const added = newKeyEntry();
  // A file from before the audit key keeps its derived key: operator commands may have sealed events with it.
  writeKeyFile(file, { ...current, auditKeys: [added, ...encodedAuditKeysOf(current)] });
  return added.id;
}

/** Makes a new blind index key the current one in the embedded key file; the older ones stay listed, to match with. */
export function addBlindIndexKeyToFile(dataDir: string): void {
  const file = keyFilePath(dataDir);
  const current = readOrCreateKeyFile(file);
  writeKeyFile(file, { ...current, blindIndexKey: randomBytes(32).toString('base64'), olderBlindIndexKeys: [current.blindIndexKey, ...current.olderBlindIndexKeys] });
}

/** The embedded database beside the key file (see config's sqliteFile): its values can only be read with that file. */
const DATABASE_FILE = 'platform.sqlite';

function readOrCreateKeyFile(file: string, { besideData = true } = {}): KeyFile {
  if (fs.existsSync(file)) return readKeyFile(file);
  const database = path.join(path.dirname(file), DATABASE_FILE);
  if (besideData && fs.existsSync(database) && fs.statSync(database).size > 0) {
    // New keys could never read what the old ones encrypted, and would quietly start a second set of records.
    throw new ConfigError(
      `${file} is missing, but ${database} holds data encrypted with the keys that were in it. Put the key file back (from where it is kept apart from backups), or set ENCRYPTION_KEYS and BLIND_INDEX_KEY.`,
    );
  }
  const created: KeyFile = {
    encryptionKeys: [newKeyEntry()],
    blindIndexKey: randomBytes(32).toString('base64'),
    olderBlindIndexKeys: [],
    // Where the unsealed start ends is left to the service's first start, which records it (0 for a new database).
    auditKeys: [newKeyEntry()],
  };
  writeKeyFile(file, created);
  return created;
}

function newKeyEntry(): { id: string; key: string } {
  return { id: newKeyId(), key: randomBytes(32).toString('base64') };
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
  // A name of its own: two processes writing at once must not rename each other's half-written file into place.
  const temporary = `${file}.${String(process.pid)}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
