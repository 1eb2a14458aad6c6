export interface KeptRead<T> {
  /** The value as last read, if read less than `keepMs` ago; otherwise a fresh read, shared by everyone who asks meanwhile. */
  get(): Promise<T>;
  /** After a change made by this instance: its next reader waits for a read that began after the change. */
  forget(): void;
}

/**
 * A small, often-read piece of reference data (rule sets, areas, help-now numbers) kept in memory for a short
 * while. Every request reading it again was a round trip each; under load they queued behind one another. A change
 * made by this instance is seen at once (`forget`); one made by another instance within `keepMs`.
 */
export function keptRead<T>(read: () => Promise<T>, keepMs: number, now: () => number = () => performance.now()): KeptRead<T> {
  let kept: { readonly value: T; readonly until: number } | undefined;
  let reading: Promise<T> | undefined;
  let changes = 0;
  return {
    get(): Promise<T> {
      const askedAt = now();
      if (kept && kept.until > askedAt) return Promise.resolve(kept.value);
      const readAfter = changes;
      const pending = (reading ??= read()
        .then((value) => {
          // A read begun before a change here is given to those who asked, but not kept.
          if (readAfter === changes) kept = { value, until: askedAt + keepMs };
          return value;
        })
        .finally(() => {
          if (reading === pending) reading = undefined;
        }));
      return pending;
    },
    forget(): void {
      changes += 1;
      kept = undefined;
      reading = undefined;
    },
  };
}
