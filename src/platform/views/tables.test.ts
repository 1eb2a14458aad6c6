import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../..');

describe('tables in templates', () => {
  // A table wider than a phone makes the whole page scroll sideways at 320 px (WCAG 1.4.10) unless it sits in the
  // scrollingTable box. The browser tests measure only the pages they visit; this reads every template.
  it('puts every table in a scroll box', () => {
    const unboxed: string[] = [];
    for (const file of fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.njk'))) {
      const text = fs.readFileSync(path.join(SRC, file), 'utf8');
      for (const table of text.matchAll(/<table\b|govukTable\(/g)) {
        const before = text.slice(0, table.index);
        if (before.lastIndexOf('call scrollingTable(') <= before.lastIndexOf('endcall')) unboxed.push(`${file}:${String(before.split('\n').length)}`);
      }
    }
    expect(unboxed).toEqual([]);
  });
});
