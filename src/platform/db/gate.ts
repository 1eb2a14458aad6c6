/**
 * At most `limit` pieces of work at once; the rest wait their turn, first come first served. For a busy path
 * whose transactions queue on a lock inside the database: waiting here holds none of the pool's connections.
 * Work run through a gate must never wait for other work of the same gate, or all of it could wait for ever.
 */
export function createGate(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < limit) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        // The slot passes straight to the next in line, so a newcomer cannot take it first.
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}

export type Gate = ReturnType<typeof createGate>;
