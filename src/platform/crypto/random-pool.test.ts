import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.js';

describe('pooled random bytes', () => {
  it('never hands out the same bytes twice, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 2000; index += 1) seen.add(pooledRandomBytes(index % 2 ? 12 : 16).toString('hex'));
    expect(seen.size).toBe(2000);
  });

  it('gives callers their own copy, which later refills do not change', () => {
    const kept = pooledRandomBytes(16);
    const before = kept.toString('hex');
    for (let index = 0; index < 600; index += 1) pooledRandomBytes(16);
    expect(kept.toString('hex')).toBe(before);
    for (const size of [4097, 0, -16, 1.5]) expect(() => pooledRandomBytes(size)).toThrow(RangeError);
  });
});
