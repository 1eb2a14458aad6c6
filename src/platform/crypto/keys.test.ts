import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.js';
import { keyFilePath, loadKeyMaterial } from './keys.js';

describe('the embedded key file', () => {
  const folders: string[] = [];
  const dataDir = () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-keys-'));
    folders.push(folder);
    return folder;
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is created on first start, readable by the operator alone', () => {
    const folder = dataDir();
    const keys = loadKeyMaterial({ DATA_DIR: folder });
    expect(keys.encryptionKeys[0]?.key).toHaveLength(32);
    expect(fs.statSync(keyFilePath(folder)).mode & 0o777).toBe(0o600);
    expect(loadKeyMaterial({ DATA_DIR: folder }).blindIndexKeys).toEqual(keys.blindIndexKeys);
  });

  it('is never made afresh beside a database that the missing one encrypted', () => {
    const folder = dataDir();
    fs.writeFileSync(path.join(folder, 'platform.sqlite'), 'SQLite format 3\u0000 and data');
    expect(() => loadKeyMaterial({ DATA_DIR: folder })).toThrow(ConfigError);
    expect(() => loadKeyMaterial({ DATA_DIR: folder })).toThrow(/keys\.json is missing, but .*platform\.sqlite holds data encrypted with the keys that were in it/);
    expect(fs.existsSync(keyFilePath(folder))).toBe(false);
  });

  it('names a damaged key file, and a key of the wrong length, without a stack trace', () => {
    const folder = dataDir();
    fs.writeFileSync(keyFilePath(folder), '{"encryptionKeys": [');
    expect(() => loadKeyMaterial({ DATA_DIR: folder })).toThrow(/keys\.json is not a readable key file/);
    expect(() => loadKeyMaterial({ DATA_DIR: folder, ENCRYPTION_KEYS: 'k1:c2hvcnQ=', BLIND_INDEX_KEY: Buffer.alloc(32, 1).toString('base64') })).toThrow(/ENCRYPTION_KEYS keys must be 32 bytes, written in base64 .* one is 5 bytes/);
    expect(() => loadKeyMaterial({ DATA_DIR: folder, AUDIT_KEYS: `a key:${randomBytes(32).toString('base64')}` })).toThrow(/AUDIT_KEYS key ids may use only letters, digits, - and _; "a key" does not/);
  });

  it('gains an audit key when it was made before the audit chain was keyed, and keeps it', () => {
    const folder = dataDir();
    const older = loadKeyMaterial({ DATA_DIR: folder });
    const file = JSON.parse(fs.readFileSync(keyFilePath(folder), 'utf8')) as Record<string, unknown>;
    delete file['auditKeys'];
    fs.writeFileSync(keyFilePath(folder), JSON.stringify(file));
    const upgraded = loadKeyMaterial({ DATA_DIR: folder });
    expect(upgraded.encryptionKeys).toEqual(older.encryptionKeys);
    expect(upgraded.auditKeys).toHaveLength(1);
    expect(upgraded.auditKeys[0]?.key).toHaveLength(32);
    expect(upgraded.auditKeys[0]?.key.equals(older.auditKeys[0]?.key ?? Buffer.alloc(0))).toBe(false);
    expect(loadKeyMaterial({ DATA_DIR: folder }).auditKeys).toEqual(upgraded.auditKeys);
    expect(fs.statSync(keyFilePath(folder)).mode & 0o777).toBe(0o600);
  });

  it('reads the audit key from the file beside a database whose field keys are set in the environment', () => {
    const folder = dataDir();
    fs.writeFileSync(path.join(folder, 'platform.sqlite'), 'SQLite format 3\u0000 and data');
    const fieldKeys = { ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
    const keys = loadKeyMaterial({ DATA_DIR: folder, ...fieldKeys });
    expect(keys.auditKeys[0]?.key).toHaveLength(32);
    expect(loadKeyMaterial({ DATA_DIR: folder, ...fieldKeys }).auditKeys).toEqual(keys.auditKeys);
  });
});
