import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { keptValues, parseForm } from './forms.js';

const schema = z.object({ never: z.string().min(100, 'too short') });

describe('re-showing a form after an error', () => {
  it('keeps what was typed but never sends a password, secret or one-time code back to the browser', () => {
    const body = { postalCode: 'CT9 1AA', areaCodes: 'thanet', password: 'x', confirmPassword: 'x', clientSecret: 's', code: '123456', sealed: 'e1', name: 'A' };
    const result = parseForm(schema, { body } as unknown as FastifyRequest);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.values).toEqual({ postalCode: 'CT9 1AA', areaCodes: 'thanet', name: 'A' });
  });
});

describe('keeping what was typed for later, unchecked', () => {
  it('keeps text and lists of text as typed, and nothing else', () => {
    expect(keptValues({ firstName: 'Sam', needs: ['housing', 'legal'], nested: { a: '1' }, count: 3 })).toEqual({ firstName: 'Sam', needs: ['housing', 'legal'] });
  });

  it('keeps no more than a form could hold: a bounded number of fields, each of bounded length', () => {
    const flood = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`junk${String(index)}`, 'x'.repeat(100)]));
    const kept = keptValues({ firstName: 'y'.repeat(100_000), ['n'.repeat(101)]: 'long name', ...flood });
    expect(Object.keys(kept)).toHaveLength(200);
    expect(kept['firstName']).toHaveLength(20_000);
    expect(Object.keys(kept).some((name) => name.length > 100)).toBe(false);
  });
});
