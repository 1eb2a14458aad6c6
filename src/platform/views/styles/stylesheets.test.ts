import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileStylesheet, STYLESHEETS } from './build-css.js';

describe.each(STYLESHEETS)('the $name stylesheet', (sheet) => {
  it('is up to date with its Sass source (run `npm run build:css` after changing it)', () => {
    expect(fs.readFileSync(sheet.output, 'utf8')).toBe(compileStylesheet(sheet.source));
  });

  it('uses no GDS Transport font (licensed for GOV.UK only) and no web fonts', () => {
    const css = fs.readFileSync(sheet.output, 'utf8');
    expect(css).not.toContain('GDS Transport');
    expect(css).not.toContain('@font-face');
  });
});

describe('the public stylesheet', () => {
  it('loads no images: nothing more to download on a slow or watched connection', () => {
    const css = fs.readFileSync(STYLESHEETS[0].output, 'utf8');
    expect(css).not.toMatch(/url\((?!["']?data:)/);
  });
});
