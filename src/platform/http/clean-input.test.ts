import { describe, expect, it } from 'vitest';
import { parseCleanQuery } from './clean-input.js';

describe('the query string parser', () => {
  it('reads a plain query as Fastify would, repeated names as a list, with no prototype to reach', () => {
    const parsed = parseCleanQuery('location=Margate&need=idva&need=outreach&q=ME14+1XX&__proto__=x');
    expect(parsed).toEqual({ location: 'Margate', need: ['idva', 'outreach'], q: 'ME14 1XX', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('takes out characters nobody types, escaped or sent as they are, and keeps the rest of the text', () => {
    expect(parseCleanQuery('location=Mar%00gate%E2%80%8B&need=%E2%80%AEidva')).toEqual({ location: 'Margate', need: 'idva' });
    expect(parseCleanQuery('location=Gda\u0144sk\u200b')).toEqual({ location: 'Gdańsk' });
    expect(parseCleanQuery('location=caf%C3%A9')).toEqual({ location: 'café' });
  });
});
