import type { PublicDirectory } from './public-directory.js';

/**
 * Answers worked out from one published directory (the services matching a set of filters, a ranking for a place
 * and need), kept with it: the same question is asked again and again (page after page, town after town in one
 * district) and the answer stays right until something is published, which builds a new directory and lets the
 * old answers go. At most `limit` per directory, the oldest dropped first.
 */
export function keptPerDirectory<T>(limit: number): (directory: PublicDirectory, key: string, derive: () => T) => T {
  const byDirectory = new WeakMap<PublicDirectory, Map<string, T>>();
  return (directory, key, derive) => {
    let kept = byDirectory.get(directory);
    if (!kept) {
      kept = new Map();
      byDirectory.set(directory, kept);
    }
    let value = kept.get(key);
    if (value === undefined) {
      value = derive();
      if (kept.size >= limit) kept.delete(kept.keys().next().value ?? '');
      kept.set(key, value);
    }
    return value;
  };
}
