import { describe, expect, it } from 'vitest';
import { namesAddressIn } from './confidential-guard.js';

const refuge = namesAddressIn({ address1: '14 Demo Refuge Close', address2: null, city: 'Chatham', postalCode: 'ME4 8ZZ' });
const names = (text: string) => refuge([['description', text]]);

describe('the confidential address check reads text as its reader sees it', () => {
  it('finds the address written plainly, as a baseline', () => {
    expect(names('Our house is at 14 Demo Refuge Close, Chatham.')).toBe(true);
    expect(names('Our office is in Chatham town centre.')).toBe(false);
  });

  it('finds it behind character references, which a page written in Markdown shows as the letters', () => {
    expect(names('Our house is at 14 Demo &#82;efuge Close, Chatham.')).toBe(true);
    expect(names('Write to ME4 &#x38;ZZ.')).toBe(true);
    expect(names('14 Demo Re&shy;fuge Close')).toBe(true);
  });

  it('finds it percent-encoded in a web address, once or twice over', () => {
    expect(names('[map](https://maps.example/?q=14%20Demo%20Refuge%20Close)')).toBe(true);
    expect(names('https://maps.example/search/14%2520Demo%2520Refuge%2520Close')).toBe(true);
    // A byte that is not UTF-8 shows as "�" and hides nothing: the escapes around it still decode.
    expect(names('<https://maps.example/?q=14%FF%44emo%20Refuge%20Close>')).toBe(true);
    expect(names('%FF%31%34%20Demo%20Refuge%20Close')).toBe(true);
    expect(names('Write to ME4%FF%20%38ZZ')).toBe(true);
    expect(names('https://example.org/%E0%A4%A and 14 Demo Refuge Close')).toBe(true);
  });

  it('finds it written with letters of other alphabets that look like Latin ones', () => {
    expect(names('Come to 14 Dem\u043e Refuge Cl\u043ese, Chatham')).toBe(true);
    expect(names('\u0421ome to 14 Demo Refug\u0435 \u0421lose')).toBe(true);
    expect(names('Dzień dobry: nasze biuro jest w Chatham.')).toBe(false);
    // Table bars stay bars beside letters outside ASCII (the look-alike map alone would read "|" as "l").
    expect(names('It’s here: |14 Demo Refuge Close|Chatham|')).toBe(true);
  });
});
