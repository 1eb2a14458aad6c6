import { describe, expect, it } from 'vitest';
import { createTranslator, localHref } from './translator.js';

const translator = createTranslator(
  new Map([
    ['en', new Map([['greeting', 'Hello {name}'], ['exit', 'Exit this page'], ['help', 'Get help']])],
    ['easy-read', new Map([['exit', 'Leave this page fast']])],
    ['pl', new Map([['greeting', 'Dzień dobry {name}']])],
  ]),
);

describe('translations', () => {
  it('gives a language its own text, then its fallback’s, then the key itself so a gap shows', () => {
    expect(translator.forLanguage('easy-read')('exit')).toBe('Leave this page fast');
    expect(translator.forLanguage('easy-read')('help')).toBe('Get help');
    expect(translator.forLanguage('pl')('help')).toBe('Get help');
    expect(translator.forLanguage('pl')('missing.key')).toBe('missing.key');
  });

  it('fills placeholders it is given and leaves the others showing', () => {
    expect(translator.forLanguage('pl')('greeting', { name: 'Ala' })).toBe('Dzień dobry Ala');
    expect(translator.forLanguage('en')('greeting', {})).toBe('Hello {name}');
  });

  it('says which texts a language has of its own, not through its fallback', () => {
    expect(translator.has('easy-read', 'exit')).toBe(true);
    expect(translator.has('easy-read', 'help')).toBe(false);
    expect(translator.keys('pl')).toEqual(['greeting']);
  });
});

describe('links that keep the reader’s language', () => {
  it('leaves an English link to a page as the bare path', () => {
    expect(localHref('en', '/services')).toBe('/services');
    expect(localHref('en', '/services', { need: '', group: undefined })).toBe('/services');
  });

  it('adds the language and the parameters given, keeping those already on the address', () => {
    expect(localHref('pl', '/services')).toBe('/services?lang=pl');
    expect(localHref('easy-read', '/services?location=Margate', { need: 'idva' })).toBe('/services?location=Margate&need=idva&lang=easy-read');
    expect(localHref('en', '/services?location=Margate&lang=pl')).toBe('/services?location=Margate');
  });

  it('always links within this site', () => {
    expect(localHref('en', '//elsewhere.example/page')).toBe('/elsewhere.example/page');
    expect(localHref('pl', '/\\elsewhere.example')).toBe('/elsewhere.example?lang=pl');
  });
});
