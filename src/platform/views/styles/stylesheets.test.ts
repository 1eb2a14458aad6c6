import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePublicCss, PUBLIC_CSS_OUTPUT } from './build-css.js';

describe('the public stylesheet', () => {
  it('is up to date with its Sass source (run `npm run build:css` after changing it)', () => {
    expect(fs.readFileSync(PUBLIC_CSS_OUTPUT, 'utf8')).toBe(compilePublicCss());
  });

  it('uses no GDS Transport font, no web fonts and no images: nothing more to download', () => {
    const css = fs.readFileSync(PUBLIC_CSS_OUTPUT, 'utf8');
    expect(css).not.toContain('GDS Transport');
    expect(css).not.toContain('@font-face');
    expect(css).not.toMatch(/url\((?!["']?data:)/);
  });
});
