import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCrypto } from './field-crypto.js';

describe('sealed values', () => {
  const crypto = new FieldCrypto({ encryptionKeys: [{ id: 'k1', key: randomBytes(32) }], blindIndexKeys: [randomBytes(32)] });

  it('open for the purpose they were sealed for, and for no other', () => {
    const sealed = crypto.seal('search-address', 'colleague@example.org');
    expect(sealed).not.toContain('colleague');
    expect(crypto.unseal('search-address', sealed)).toBe('colleague@example.org');
    expect(crypto.unseal('sso-flow', sealed)).toBeUndefined();
    expect(() => crypto.decrypt(sealed)).toThrow();
  });

  it('refuse a stored field pasted in their place, so a search box cannot be made to decrypt case data', () => {
    const stored = crypto.encrypt('Synthetic Person');
    expect(crypto.decrypt(stored)).toBe('Synthetic Person');
    expect(crypto.unseal('search-address', stored)).toBeUndefined();
  });

  it('refuse a value whose authentication tag was cut short, however much of it is right', () => {
    const stored = crypto.encrypt('Synthetic Person');
    const parts = stored.split(':');
    parts[3] = Buffer.from(parts[3] ?? '', 'base64url').subarray(0, 4).toString('base64url');
    expect(() => crypto.decrypt(parts.join(':'))).toThrow();
  });

  it('refuse anything altered or not sealed at all', () => {
    const sealed = crypto.seal('search-address', 'abc');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(crypto.unseal('search-address', parts.join(':'))).toBeUndefined();
    expect(crypto.unseal('search-address', 'colleague@example.org')).toBeUndefined();
    expect(crypto.unseal('search-address', '')).toBeUndefined();
  });

  it('need a purpose: without one a sealed value would open as a stored field does', () => {
    expect(() => crypto.seal('', 'abc')).toThrow('A sealed value needs a purpose.');
    expect(crypto.unseal('', crypto.encrypt('Synthetic Person'))).toBeUndefined();
  });
});
