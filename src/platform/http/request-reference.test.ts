import { describe, expect, it } from 'vitest';
import { newRequestReference } from './request-reference.js';

describe('request references', () => {
  it('are two groups of four characters that cannot be misread, and do not repeat', () => {
    const references = Array.from({ length: 2_000 }, newRequestReference);
    for (const reference of references.slice(0, 100)) expect(reference).toMatch(/^[2-9B-DF-HJ-NP-TV-Z]{4}-[2-9B-DF-HJ-NP-TV-Z]{4}$/);
    expect(new Set(references).size).toBe(references.length);
  });
});
