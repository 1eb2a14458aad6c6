import type { z } from 'zod';
import type { FieldCrypto } from './field-crypto.js';

export interface TimedSealOptions<T> {
  /** What the value is for: it opens for nothing else (see FieldCrypto.seal). */
  readonly purpose: string;
  readonly schema: z.ZodType<T>;
  readonly lifetimeMs: number;
  readonly clock: () => Date;
}

/** Another instance's clock may be a little ahead of this one's. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * A value the browser carries for us for a while (a sign-in flow, a search in an address): sealed with the time it
 * was made, and opened only while it is younger than its lifetime, and only if it still has the shape it was given.
 */
export function createTimedSeal<T>(crypto: FieldCrypto, options: TimedSealOptions<T>) {
  const { purpose, schema, lifetimeMs, clock } = options;
  /** Whether a value made then is still within its lifetime. */
  const isLive = (madeAt: number): boolean => {
    const age = clock().getTime() - madeAt;
    return age >= -CLOCK_SKEW_MS && age <= lifetimeMs;
  };
  return {
    isLive,

    /** Sealed now, or at an earlier value's time, so a value made from another ends when that one does. */
    seal: (value: T, madeAt = clock().getTime()): string => crypto.seal(purpose, JSON.stringify({ value, madeAt })),

    /** The value and when it was made; undefined when it has ended, was altered, or was not sealed for this purpose. */
    open(sealed: string): { value: T; madeAt: number } | undefined {
      const text = crypto.unseal(purpose, sealed);
      if (text === undefined) return undefined;
      const envelope = parseJson(text);
      const madeAt = envelope?.['madeAt'];
      const value = schema.safeParse(envelope?.['value']);
      if (typeof madeAt !== 'number' || !value.success) return undefined;
      return isLive(madeAt) ? { value: value.data, madeAt } : undefined;
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
