import type { PublicDirectory } from './public-directory.js';

/**
 * Answers worked out from one published directory (the services matching a set of filters, a ranking for a place
 * and need), kept with it: the same question is asked again and again (page after page, town after town in one
 * district) and the answer stays right until something is published, which builds a new directory and lets the
 * old answers go. At most `limit` per directory, the oldest dropped first.
 */
export function keptPerDirectory<T>(limit: number): KeptPerDirectory<T> {
  const byDirectory = new WeakMap<PublicDirectory, Map<string, T>>();
  const kept = (directory: PublicDirectory, key: string, derive: () => T): T => {
    let answers = byDirectory.get(directory);
    if (!answers) {
      answers = new Map();
      byDirectory.set(directory, answers);
    }
    let value = answers.get(key);
    if (value === undefined) {
      value = derive();
      if (answers.size >= limit) answers.delete(answers.keys().next().value ?? '');
      answers.set(key, value);
    }
    return value;
  };
  kept.forget = (directory: PublicDirectory, key: string) => {
    byDirectory.get(directory)?.delete(key);
  };
  return kept;
}

export interface KeptPerDirectory<T> {
  (directory: PublicDirectory, key: string, derive: () => T): T;
  /** Drops one answer: a look-up that failed is asked again next time, not remembered as failed. */
  forget(directory: PublicDirectory, key: string): void;
}
