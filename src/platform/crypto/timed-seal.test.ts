import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FieldCrypto } from './field-crypto.js';
import { createTimedSeal } from './timed-seal.js';

describe('a value sealed for a while', () => {
  const crypto = new FieldCrypto({ encryptionKeys: [{ id: 'k1', key: randomBytes(32) }], blindIndexKeys: [randomBytes(32)] });
  let now = Date.parse('2026-12-07T12:00:00Z');
  const options = { purpose: 'test-purpose', schema: z.object({ word: z.string() }), lifetimeMs: 60_000, clock: () => new Date(now) };
  const seals = createTimedSeal(crypto, options);

  it('opens with when it was made, until its lifetime is over', () => {
    const made = now;
    const sealed = seals.seal({ word: 'kingfisher' });
    now = made + 60_000;
    expect(seals.open(sealed)).toEqual({ value: { word: 'kingfisher' }, madeAt: made });
    now = made + 60_001;
    expect(seals.open(sealed)).toBeUndefined();
    now = made;
  });

  it('keeps an earlier value’s time when asked, so what was made from it ends with it', () => {
    const sealed = seals.seal({ word: 'later' }, now - 59_000);
    expect(seals.open(sealed)?.madeAt).toBe(now - 59_000);
    expect(seals.open(seals.seal({ word: 'older' }, now - 61_000))).toBeUndefined();
  });

  it('opens nothing altered, sealed for another purpose, of another shape, or made far in the future', () => {
    const sealed = seals.seal({ word: 'kingfisher' });
    const parts = sealed.split(':');
    const body = parts[4] ?? '';
    parts[4] = `${body.slice(0, -1)}${body.endsWith('A') ? 'B' : 'A'}`;
    expect(seals.open(parts.join(':'))).toBeUndefined();
    expect(seals.open(crypto.seal('other-purpose', JSON.stringify({ value: { word: 'x' }, madeAt: now })))).toBeUndefined();
    expect(createTimedSeal(crypto, { ...options, schema: z.object({ number: z.number() }) }).open(sealed)).toBeUndefined();
    expect(seals.open(seals.seal({ word: 'early' }, now + 4 * 60_000))).toBeDefined();
    expect(seals.open(seals.seal({ word: 'too early' }, now + 6 * 60_000))).toBeUndefined();
  });
});
