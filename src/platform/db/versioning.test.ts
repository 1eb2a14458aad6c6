import { describe, expect, it } from 'vitest';
import { formVersion } from './versioning.js';

describe('the version a form sends back', () => {
  it('reads a whole number from 1 up', () => {
    expect(formVersion.parse('1')).toBe(1);
    expect(formVersion.parse(' 42 ')).toBe(42);
    expect(formVersion.parse('2147483646')).toBe(2_147_483_646);
  });

  it.each(['', '0', '-1', '1.5', '1e3', '0x10', '007', 'one', '2147483647', '99999999999'])('refuses %j as out of date', (sent) => {
    const result = formVersion.safeParse(sent);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('The form is out of date: reload the page and try again');
  });
});
