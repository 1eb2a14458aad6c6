import { describe, expect, it } from 'vitest';
import { keptRead } from './kept-read.js';

/** A read that answers only when told, counting how often it was asked. */
function controlledRead() {
  const answers: Array<(value: number) => void> = [];
  let reads = 0;
  return {
    read: () => {
      reads += 1;
      return new Promise<number>((resolve) => answers.push(resolve));
    },
    answer: (value: number) => answers.shift()?.(value),
    reads: () => reads,
  };
}

describe('a kept read', () => {
  it('gives everyone who asks during a read that one read, then keeps it until it is older than asked', async () => {
    const source = controlledRead();
    let now = 0;
    const kept = keptRead(source.read, 1000, () => now);
    const first = [kept.get(), kept.get(), kept.get()];
    expect(source.reads()).toBe(1);
    source.answer(1);
    expect(await Promise.all(first)).toEqual([1, 1, 1]);

    now = 999;
    expect(await kept.get()).toBe(1);
    expect(source.reads()).toBe(1);

    now = 1000;
    const later = kept.get();
    expect(source.reads()).toBe(2);
    source.answer(2);
    expect(await later).toBe(2);
  });

  it('after a change here, the next reader waits for a new read, and a read begun before the change is not kept', async () => {
    const source = controlledRead();
    const kept = keptRead(source.read, 60_000, () => 0);
    const before = kept.get();
    kept.forget();
    const after = kept.get();
    expect(source.reads()).toBe(2);
    source.answer(1); // the read begun before the change
    source.answer(2);
    expect(await before).toBe(1);
    expect(await after).toBe(2);
    expect(await kept.get()).toBe(2);
    expect(source.reads()).toBe(2);
  });

  it('keeps nothing from a failed read: the next reader tries again', async () => {
    let reads = 0;
    const kept = keptRead(() => (reads += 1) === 1 ? Promise.reject(new Error('database unavailable')) : Promise.resolve('read'), 60_000, () => 0);
    await expect(kept.get()).rejects.toThrow('database unavailable');
    expect(await kept.get()).toBe('read');
    expect(reads).toBe(2);
  });
});
