import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.js';
import { addAuditKeyToFile, keyFilePath, loadKeyMaterial } from './keys.js';

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
    expect(() => loadKeyMaterial({ DATA_DIR: folder, AUDIT_KEYS: `a key:${randomBytes(32).toString('base64')}` })).toThrow(/AUDIT_KEYS key ids may use only letters, digits, - and _ \(at most 64\); entry 1's does not/);
    const reversed = `${randomBytes(32).toString('base64')}:a1`;
    expect(() => loadKeyMaterial({ DATA_DIR: folder, AUDIT_KEYS: reversed })).toThrow(/entry 1's does not\.$/);
    const twice = `a1:${randomBytes(32).toString('base64')},a1:${randomBytes(32).toString('base64')}`;
    expect(() => loadKeyMaterial({ DATA_DIR: folder, AUDIT_KEYS: twice })).toThrow('AUDIT_KEYS lists the key id "a1" twice: each key needs an id of its own.');
  });

  it('leaves where the unsealed start ends to the first start, and works out the same audit key for an older file without writing it', () => {
    const folder = dataDir();
    const created = loadKeyMaterial({ DATA_DIR: folder });
    expect(created.auditUnsealedUntil).toBeNull();
    expect(created.auditKeys[0]?.key).toHaveLength(32);
    const file = JSON.parse(fs.readFileSync(keyFilePath(folder), 'utf8')) as Record<string, unknown>;
    delete file['auditKeys'];
    delete file['auditUnsealedUntil'];
    const older = JSON.stringify(file);
    fs.writeFileSync(keyFilePath(folder), older);
    const derived = loadKeyMaterial({ DATA_DIR: folder });
    expect(derived.encryptionKeys).toEqual(created.encryptionKeys);
    expect(derived.auditUnsealedUntil).toBeNull();
    expect(derived.auditKeys[0]?.key).toHaveLength(32);
    expect(derived.auditKeys[0]?.key.equals(derived.encryptionKeys[0]?.key ?? Buffer.alloc(0))).toBe(false);
    expect(loadKeyMaterial({ DATA_DIR: folder }).auditKeys).toEqual(derived.auditKeys);
    // Reading is not writing: a read-only command leaves the file as it was (the next start records it).
    expect(fs.readFileSync(keyFilePath(folder), 'utf8')).toBe(older);
    // A new audit key added before then keeps the derived one, which may have sealed an operator command's events.
    const added = addAuditKeyToFile(folder);
    expect(loadKeyMaterial({ DATA_DIR: folder }).auditKeys.map(({ id }) => id)).toEqual([added, derived.auditKeys[0]?.id]);
    expect(loadKeyMaterial({ DATA_DIR: folder }).auditKeys[1]?.key).toEqual(derived.auditKeys[0]?.key);
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
