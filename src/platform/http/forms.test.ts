import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm } from './forms.js';

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
