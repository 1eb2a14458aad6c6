import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Languages of the public pages. `easy-read` is a first-class variant of English: short sentences, one idea
 * each. A key missing from a language falls back along its chain, ending in English. `name` is the language's own
 * (readers choose theirs by it); `englishName` is for the staff pages, which are in English.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', englishName: 'English', htmlLang: 'en', fallback: null },
  { code: 'easy-read', name: 'Easy read', englishName: 'Easy read', htmlLang: 'en', fallback: 'en' },
  { code: 'pl', name: 'Polski', englishName: 'Polish', htmlLang: 'pl', fallback: 'en' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export const DEFAULT_LANGUAGE: LanguageCode = 'en';

export function isLanguage(value: unknown): value is LanguageCode {
  return LANGUAGES.some((language) => language.code === value);
}

export function languageOf(code: LanguageCode) {
  const found = LANGUAGES.find((language) => language.code === code);
  if (!found) throw new Error(`Unknown language ${code}`);
  return found;
}

const LONG_DATES = new Map(LANGUAGES.map((language) => [language.code, new Intl.DateTimeFormat(language.htmlLang === 'pl' ? 'pl-PL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/London' })]));

/** A day as readers of the language write it ("6 December 2026", "6 grudnia 2026"), on the UK calendar. */
export function longDate(value: string, code: LanguageCode = DEFAULT_LANGUAGE): string {
  return (LONG_DATES.get(code) ?? LONG_DATES.get(DEFAULT_LANGUAGE))?.format(new Date(value)) ?? value;
}

/** A `lang` attribute for text shown in another language than the page's (English text on a Polish page). */
export function langAttribute(textLang: LanguageCode, readerLang: LanguageCode): string | undefined {
  const text = languageOf(textLang).htmlLang;
  return text === languageOf(readerLang).htmlLang ? undefined : text;
}

type Catalogue = Map<string, string>;

/** Reads every `<lang>.json` (flat "key": "text") in each module's locales folder at start-up. */
export function loadCatalogues(folders: readonly string[]): Map<LanguageCode, Catalogue> {
  const catalogues = new Map<LanguageCode, Catalogue>(LANGUAGES.map((language) => [language.code, new Map()]));
  for (const folder of folders) {
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder)) {
      const code = path.basename(file, '.json');
      if (!file.endsWith('.json') || !isLanguage(code)) continue;
      const entries = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as Record<string, unknown>;
      const catalogue = catalogues.get(code);
      for (const [key, text] of Object.entries(entries)) {
        if (typeof text !== 'string') throw new Error(`${folder}/${file}: "${key}" must be a string`);
        if (catalogue?.has(key)) throw new Error(`${folder}/${file}: "${key}" is defined twice`);
        catalogue?.set(key, text);
      }
    }
  }
  return catalogues;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function createTranslator(catalogues: Map<LanguageCode, Catalogue>) {
  // Each language's texts with its fallbacks filled in, worked out once: a page asks for hundreds of keys.
  const resolved = new Map<LanguageCode, Catalogue>();
  const resolve = (code: LanguageCode): Catalogue => {
    let texts = resolved.get(code);
    if (!texts) {
      const fallback = languageOf(code).fallback;
      texts = new Map([...(fallback ? resolve(fallback) : []), ...(catalogues.get(code) ?? [])]);
      resolved.set(code, texts);
    }
    return texts;
  };
  const translators = new Map<LanguageCode, Translate>(
    LANGUAGES.map(({ code }) => {
      const texts = resolve(code);
      const translate: Translate = (key, params) => {
        const text = texts.get(key) ?? key;
        // Most texts have no placeholder: they are returned as they are, without a pass of the pattern.
        if (!params || !text.includes('{')) return text;
        return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
      };
      return [code, translate];
    }),
  );

  return {
    /** A translate function for one language. A missing key shows itself, so a gap is visible, never blank. */
    forLanguage(code: LanguageCode): Translate {
      const translate = translators.get(code);
      if (!translate) throw new Error(`Unknown language ${code}`);
      return translate;
    },
    has(code: LanguageCode, key: string): boolean {
      return catalogues.get(code)?.has(key) ?? false;
    },
    keys(code: LanguageCode): string[] {
      return [...(catalogues.get(code)?.keys() ?? [])];
    },
  };
}

export type Translator = ReturnType<typeof createTranslator>;

/**
 * A link within the public site that keeps the reader's language. The language travels in the address, not
 * a cookie, so the public site stores nothing on the device.
 */
export function localHref(language: LanguageCode, target: string, params: Record<string, string | undefined> = {}): string {
  const [path = '/', existing = ''] = target.split('?');
  // Always a path on this site: "//elsewhere.example" (or "/\\elsewhere") in an address would be another site's link.
  const pathname = path.replace(/^[/\\]+/, '/');
  // Most links on a page are a bare path in English: no query to build.
  if (existing === '' && language === DEFAULT_LANGUAGE && Object.values(params).every((value) => value === undefined || value === '')) return pathname;
  const query = new URLSearchParams(existing);
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, value);
  if (language === DEFAULT_LANGUAGE) query.delete('lang');
  else query.set('lang', language);
  const text = query.toString();
  return text ? `${pathname}?${text}` : pathname;
}

export function localesOf(moduleUrl: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), 'locales');
}

/** Text the platform itself shows (error pages, the error summary), in every language: keys prefixed `platform.`. */
export const PLATFORM_LOCALES = localesOf(import.meta.url);

/** For text the platform builds outside a template (an API's problem document is always in English). */
export const platformTranslator = createTranslator(loadCatalogues([PLATFORM_LOCALES]));
