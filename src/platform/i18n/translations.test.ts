import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../modules/index.js';
import { PLATFORM_LOCALES } from './translator.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The translation files of the public pages: the platform's own and each public module's (staff pages are in English). */
function localeFolders(): string[] {
  return [...new Set([PLATFORM_LOCALES, ...MODULES.filter((module) => module.surface === 'public').flatMap((module) => module.localeFolders ?? [])])];
}

const keysOf = (file: string) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);

describe('translations', () => {
  it('has every message of the public pages in Polish: none shows in English on a Polish page', () => {
    const folders = localeFolders();
    expect(folders.length).toBeGreaterThanOrEqual(3);
    for (const folder of folders) {
      const polish = new Set(keysOf(path.join(folder, 'pl.json')));
      expect(keysOf(path.join(folder, 'en.json')).filter((key) => !polish.has(key)), path.relative(SRC, folder)).toEqual([]);
    }
  });
});
