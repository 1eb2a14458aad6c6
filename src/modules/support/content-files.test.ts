import { describe, expect, it } from 'vitest';
import { parseContentFile, readSeedHelplines, readSeedPages } from './content-files.js';

describe('seed content files', () => {
  it('reads front matter, including a quoted title with a colon', () => {
    const { meta, body } = parseContentFile('---\ntitle: "Clare\'s Law: asking"\nsummary: S\nsection: help\nposition: 5\n---\nText here.\n', 'test.md');
    expect(meta).toEqual({ title: "Clare's Law: asking", summary: 'S', section: 'help', position: 5, layout: 'standard' });
    expect(body).toBe('Text here.');
  });

  it('refuses a file without front matter, an unknown key or a bad section, naming the file', () => {
    expect(() => parseContentFile('Just text', 'a.md')).toThrow(/a.md: must start with front matter/);
    expect(() => parseContentFile('---\ntitle: T\nsummary: S\nsection: help\nposition: 1\ncolour: red\n---\n', 'b.md')).toThrow(/b.md/);
    expect(() => parseContentFile('---\ntitle: T\nsummary: S\nsection: blog\nposition: 1\n---\n', 'c.md')).toThrow(/c.md: section/);
  });

  it('has every page the public site links to, in English', () => {
    const english = new Set(readSeedPages().filter((page) => page.lang === 'en').map((page) => page.slug));
    for (const slug of ['home', 'what-is-domestic-abuse', 'worried-about-someone', 'worried-about-your-behaviour', 'clares-law', 'staying-safe', 'staying-safe-online', 'referral-pathway', 'bsl', 'accessibility', 'privacy']) {
      expect(english, slug).toContain(slug);
    }
  });

  it('has easy read versions of the key pages, and every translation has an English original in the same section', () => {
    const pages = readSeedPages();
    const english = new Map(pages.filter((page) => page.lang === 'en').map((page) => [page.slug, page]));
    const easyRead = pages.filter((page) => page.lang === 'easy-read').map((page) => page.slug);
    expect(easyRead).toEqual(expect.arrayContaining(['home', 'what-is-domestic-abuse', 'staying-safe', 'staying-safe-online', 'worried-about-someone', 'clares-law', 'young-people']));
    for (const page of pages.filter((candidate) => candidate.lang !== 'en')) {
      expect(english.get(page.slug)?.section, `${page.lang}/${page.slug}`).toBe(page.section);
    }
  });

  it('has the help-now numbers from the partnership papers, with English text for each', () => {
    const numbers = Object.fromEntries(readSeedHelplines().map((line) => [line.code, line.displayNumber]));
    expect(numbers).toEqual({
      emergency: '999',
      'kent-police': '101',
      'national-helpline': '0808 2000 247',
      'mens-advice-line': '0808 801 0327',
      'victim-support': '0808 168 9276',
      'text-relay': '18001 101',
    });
  });
});
