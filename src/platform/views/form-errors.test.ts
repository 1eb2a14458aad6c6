import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formErrorsFrom } from './form-errors.js';

describe('form errors', () => {
  const schema = z.object({ email: z.string().trim().min(1, 'Enter your email address'), role: z.enum(['a', 'b'], 'Select a role'), count: z.string().min(1, 'Enter a number') });

  it('keeps each field’s own message, and puts Zod’s wording for a field left out of an altered form in plain words', () => {
    const parsed = schema.safeParse({ email: '', role: 'c', count: ['1', '2'] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(formErrorsFrom(parsed.error).summary).toEqual([
      { text: 'Enter your email address', href: '#email' },
      { text: 'Select a role', href: '#role' },
      { text: 'Check this answer: it is not one the form accepts', href: '#count' },
    ]);
    const missing = schema.safeParse({ role: 'a', count: '1' });
    if (missing.success) throw new Error('A form without its email field was accepted.');
    expect(formErrorsFrom(missing.error).byField['email']).toEqual({ text: 'Answer this question' });
  });
});
