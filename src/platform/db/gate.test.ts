import { describe, expect, it } from 'vitest';
import { createGate } from './gate.js';

/** A piece of work that records when it starts and finishes only when told to. */
function heldWork(started: number[], index: number) {
  let finish: (outcome: 'done' | 'fail') => void = () => undefined;
  const work = () => {
    started.push(index);
    return new Promise<number>((resolve, reject) => {
      finish = (outcome) => {
        if (outcome === 'done') resolve(index);
        else reject(new Error(`work ${String(index)} failed`));
      };
    });
  };
  return {
    work,
    finish: (outcome: 'done' | 'fail') => {
      finish(outcome);
    },
  };
}

describe('a gate', () => {
  it('starts at most its limit of work at once, and the rest in the order they came as earlier work ends or fails', async () => {
    const gate = createGate(3);
    const started: number[] = [];
    const pieces = Array.from({ length: 6 }, (_, index) => heldWork(started, index));
    const results = pieces.map((piece) => gate.run(piece.work));
    expect(started).toEqual([0, 1, 2]);

    pieces[1]?.finish('fail');
    await expect(results[1]).rejects.toThrow('work 1 failed');
    expect(started).toEqual([0, 1, 2, 3]);

    pieces[0]?.finish('done');
    pieces[2]?.finish('done');
    await Promise.all([results[0], results[2]]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);

    for (const piece of pieces.slice(3)) piece.finish('done');
    expect(await Promise.all([results[3], results[4], results[5]])).toEqual([3, 4, 5]);
  });

  it('lets new work start at once when the earlier work has all ended', async () => {
    const gate = createGate(1);
    const started: number[] = [];
    const first = heldWork(started, 0);
    const running = gate.run(first.work);
    first.finish('done');
    await running;
    const second = heldWork(started, 1);
    void gate.run(second.work);
    expect(started).toEqual([0, 1]);
    second.finish('done');
  });
});
