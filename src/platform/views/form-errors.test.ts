import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlainValidationMessages } from '../validation-messages.js';
import { formErrorsFrom } from './form-errors.js';

describe('form errors', () => {
  beforeAll(usePlainValidationMessages);
  const schema = z.object({ email: z.string().trim().min(1, 'Enter your email address'), role: z.enum(['a', 'b'], 'Select a role'), count: z.string().min(1, 'Enter a number') });

  it('keeps each field’s own message, and puts Zod’s wording for a field left out of an altered form in plain words', () => {
    const parsed = schema.safeParse({ email: '', role: 'c', count: ['1', '2'] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(formErrorsFrom(parsed.error).summary).toEqual([
      { text: 'Enter your email address', href: '#email' },
      { text: 'Select a role', href: '#role' },
      { text: 'This must be text', href: '#count' },
    ]);
    const missing = schema.safeParse({ role: 'a', count: '1' });
    if (missing.success) throw new Error('A form without its email field was accepted.');
    expect(formErrorsFrom(missing.error).byField['email']).toEqual({ text: 'Answer this question' });
  });

  it('words a check that has no message of its own in plain English, never Zod’s developer wording', () => {
    const messages = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message);
    expect(messages(z.string().max(254), 'x'.repeat(300))).toEqual(['Enter 254 characters or fewer']);
    expect(messages(z.array(z.string()).max(20), Array.from({ length: 21 }, () => 'x'))).toEqual(['Give 20 or fewer']);
    expect(messages(z.object({ a: z.string() }), null)).toEqual(['This must be an object']);
    expect(messages(z.enum(['yes', 'no']), 'maybe')).toEqual(['Use one of: yes, no']);
    expect(messages(z.email(), 'nope')).toEqual(['Enter an email address in the correct format, like name@example.org']);
    expect(messages(z.coerce.number().int().positive(), '0')).toEqual(['Enter a number more than 0']);
    expect(messages(z.string().refine(() => false), 'x')).toEqual(['Check this answer: it is not one that is accepted']);
    expect(messages(z.string().regex(/^a$/), 'b')).toEqual(['Enter this in the correct format']);
    // A schema's own words always win.
    expect(messages(z.string().max(3, 'Short, please'), 'long')).toEqual(['Short, please']);
  });

  it('links a problem with one item of a list to the list’s field, where the page shows the message', () => {
    const lists = z.object({ roles: z.array(z.enum(['admin', 'auditor'], 'Select roles from the list')), towns: z.array(z.string().max(5, 'Each town name must be 5 characters or fewer')) });
    const parsed = lists.safeParse({ roles: ['auditor', 'god'], towns: ['Wye', 'Tenterden'] });
    if (parsed.success) throw new Error('An unknown role was accepted.');
    const errors = formErrorsFrom(parsed.error);
    expect(errors.summary).toEqual([
      { text: 'Select roles from the list', href: '#roles' },
      { text: 'Each town name must be 5 characters or fewer', href: '#towns' },
    ]);
    expect(Object.keys(errors.byField)).toEqual(['roles', 'towns']);
  });

  it('keeps a row’s position in a repeated group’s field, where each row’s boxes have their own ids', () => {
    const rows = z.object({ children: z.array(z.object({ name: z.string().min(1, 'Enter the child’s name') })) });
    const parsed = rows.safeParse({ children: [{ name: 'Test Child' }, { name: '' }] });
    if (parsed.success) throw new Error('A row without a name was accepted.');
    expect(formErrorsFrom(parsed.error).summary).toEqual([{ text: 'Enter the child’s name', href: '#children-1-name' }]);
  });
});
