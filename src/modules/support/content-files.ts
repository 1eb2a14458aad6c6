import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isLanguage, LANGUAGES, type LanguageCode } from '../../platform/i18n/translator.js';
import { LAYOUTS, SECTIONS, SLUG_PATTERN } from './schemas.js';

/** seed/content: the site's starting text as readable files (Markdown with front matter), one folder per language. */
export const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed/content');

const frontMatter = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1),
    section: z.enum(SECTIONS),
    position: z.coerce.number().int().nonnegative(),
    layout: z.enum(LAYOUTS).default('standard'),
    video: z.string().regex(/^[a-z0-9-]+$/).optional(),
  })
  .strict();

export interface SeedPage extends z.infer<typeof frontMatter> {
  readonly slug: string;
  readonly lang: LanguageCode;
  readonly body: string;
}

/**
 * Front matter is `key: value` lines between two `---` lines. Deliberately not YAML: the fields are simple and
 * a content file can never run code or pull in other files.
 */
export function parseContentFile(text: string, where: string): { meta: z.infer<typeof frontMatter>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${where}: must start with front matter between --- lines`);
  const fields: Record<string, string> = {};
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon < 1) throw new Error(`${where}: front matter line "${line}" is not "key: value"`);
    const value = line.slice(colon + 1).trim();
    // A value may be quoted, for a title that itself contains a colon.
    fields[line.slice(0, colon).trim()] = /^".*"$/.test(value) ? value.slice(1, -1) : value;
  }
  const parsed = frontMatter.safeParse(fields);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  return { meta: parsed.data, body: (match[2] ?? '').trim() };
}

export function readSeedPages(dir = CONTENT_DIR): SeedPage[] {
  const pages: SeedPage[] = [];
  for (const language of LANGUAGES) {
    const folder = path.join(dir, 'pages', language.code);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.md')).sort()) {
      const slug = file.slice(0, -'.md'.length);
      if (!SLUG_PATTERN.test(slug)) throw new Error(`seed/content/pages/${language.code}/${file}: the file name must be the page address`);
      const { meta, body } = parseContentFile(fs.readFileSync(path.join(folder, file), 'utf8'), `seed/content/pages/${language.code}/${file}`);
      pages.push({ ...meta, slug, lang: language.code, body });
    }
  }
  return pages;
}

const helplineText = z.object({ name: z.string().min(1), availability: z.string() }).strict();

const helplineSeed = z
  .object({
    code: z.string().regex(/^[a-z0-9-]+$/),
    displayNumber: z.string().regex(/^[0-9 ]+$/),
    source: z.string().min(1),
    texts: z.record(z.string(), helplineText).refine((texts) => 'en' in texts && Object.keys(texts).every(isLanguage), 'needs "en" and only known languages'),
  })
  .strict();

export type HelplineSeed = z.infer<typeof helplineSeed>;

export function readSeedHelplines(dir = CONTENT_DIR): HelplineSeed[] {
  const file = path.join(dir, 'helplines.json');
  const parsed = z.array(helplineSeed).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`seed/content/helplines.json: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/** The address of every page in seed/content (the home page is `/`): for crawls and checks of the public site. */
export function seededPublicPaths(): string[] {
  const slugs = new Set(readSeedPages().map((page) => page.slug));
  return [...slugs].map((slug) => (slug === 'home' ? '/' : `/${slug}`)).sort();
}
