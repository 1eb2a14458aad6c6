import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { isLanguage, longDate, type LanguageCode } from '../i18n/translator.js';
import { pageNumbers } from './pagination.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const ASSET_ROOTS = {
  govuk: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
  moj: path.join(root, 'node_modules/@ministryofjustice/frontend/moj'),
  own: path.join(root, 'src/platform/views/assets'),
};

type ExportsCallback = (error: unknown, exported?: unknown) => void;
interface TemplateInternals {
  readonly path?: string;
  getExported: (this: TemplateInternals, context: unknown, parentFrame?: unknown, callback?: ExportsCallback) => void;
}
interface EnvironmentInternals {
  resolveTemplate(loader: object, parentName: string | null, filename: string): string;
}

/**
 * `{% from "x" import y %}` makes Nunjucks run the whole of "x" again on every render to collect its macros, and every
 * GOV.UK component macro resolves "./template.njk" against its own path on every call: together more than a third
 * of a page's render time. An import without context always yields the same macros (they see only the empty context
 * they were defined in, and the environment's globals), so each template's exports are kept once they are known.
 */
function rememberImports(): void {
  const prototype = nunjucks.Template.prototype as unknown as TemplateInternals;
  const collect = prototype.getExported;
  const known = new WeakMap<object, unknown>();
  prototype.getExported = function getExported(this: TemplateInternals, context: unknown, parentFrame?: unknown, callback?: ExportsCallback): void {
    if (typeof context !== 'function') {
      collect.call(this, context, parentFrame, callback);
      return;
    }
    const done = context as ExportsCallback;
    if (known.has(this)) {
      done(null, known.get(this));
      return;
    }
    collect.call(this, (error: unknown, exported?: unknown) => {
      const kept = error ? exported : rememberFurnitureOutput(this.path, exported);
      if (!error) known.set(this, kept);
      done(error, kept);
    });
  };
}
rememberImports();

/**
 * GOV.UK components that frame a page (navigation, skip links, footer, buttons, tags) get the same few parameters on
 * page after page, and a component's output depends on its parameters alone: the service navigation alone was a
 * third of a professional page's render. Their output is kept per parameters, a few hundred at most per component.
 * Only these: components that can show a case's data or a person's name (summary lists, inputs, tables,
 * breadcrumbs) are rendered afresh, so no decrypted detail stays in memory after its page is sent.
 */
const FURNITURE = /\/govuk\/components\/(service-navigation|skip-link|back-link|footer|header|exit-this-page|button|tag)\/macro\.njk$/;
const FURNITURE_OUTPUTS_PER_COMPONENT = 300;

function rememberFurnitureOutput(templatePath: string | undefined, exported: unknown): unknown {
  if (!templatePath || !FURNITURE.test(templatePath) || typeof exported !== 'object' || exported === null) return exported;
  return Object.fromEntries(
    Object.entries(exported).map(([name, value]) => [name, typeof value === 'function' ? rememberOutputs(value as (...args: unknown[]) => unknown) : value]),
  );
}

function rememberOutputs(macro: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const outputs = new Map<string, unknown>();
  return function remembered(this: unknown, ...args: unknown[]): unknown {
    const key = parametersKey(args);
    if (key === undefined) return macro.apply(this, args);
    let output = outputs.get(key);
    if (output === undefined) {
      output = macro.apply(this, args);
      if (outputs.size >= FURNITURE_OUTPUTS_PER_COMPONENT) outputs.delete(outputs.keys().next().value ?? '');
      outputs.set(key, output);
    }
    return output;
  };
}

/**
 * The parameters as text, undefined kept apart from null. No key (the component is rendered afresh) when a function
 * (a `caller` block) or a date is among them, or when they cannot be written as JSON at all.
 */
function parametersKey(args: readonly unknown[]): string | undefined {
  const seen = { unkeyable: false };
  try {
    const key = JSON.stringify(args, function keyOf(this: Record<string, unknown>, name: string, value: unknown) {
      if (typeof value === 'function' || this[name] instanceof Date) seen.unkeyable = true;
      return value === undefined ? '\u0000undefined' : value;
    });
    return seen.unkeyable ? undefined : key;
  } catch {
    return undefined;
  }
}

interface FrameInternals {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): FrameInternals | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}

/**
 * Nunjucks' Frame.set as it is, except that a variable's name is split at its dots once rather than on every
 * assignment: a loop sets seven `loop.*` names per item, and the splitting was a seventh of a results page.
 */
function rememberNameParts(): void {
  const frame = (nunjucks as unknown as { runtime: { Frame: { prototype: FrameInternals } } }).runtime.Frame.prototype;
  const partsOf = new Map<string, readonly string[]>();
  frame.set = function set(this: FrameInternals, name: string, value: unknown, resolveUp?: boolean): void {
    let parts = partsOf.get(name);
    if (!parts) {
      parts = name.split('.');
      partsOf.set(name, parts);
    }
    if (resolveUp) {
      const owner = this.resolve(parts[0] ?? name, true);
      if (owner) {
        owner.set(name, value);
        return;
      }
    }
    let target = this.variables;
    for (let index = 0; index < parts.length - 1; index += 1) {
      const id = parts[index] ?? '';
      if (!target[id]) target[id] = {};
      target = target[id] as Record<string, unknown>;
    }
    target[parts[parts.length - 1] ?? name] = value;
  };
}
rememberNameParts();

function rememberResolvedNames(env: nunjucks.Environment): void {
  const internals = env as unknown as EnvironmentInternals;
  const resolve = internals.resolveTemplate.bind(env);
  const byLoader = new WeakMap<object, Map<string, string>>();
  internals.resolveTemplate = (loader, parentName, filename) => {
    let resolved = byLoader.get(loader);
    if (!resolved) {
      resolved = new Map<string, string>();
      byLoader.set(loader, resolved);
    }
    const key = `${parentName ?? ''}\0${filename}`;
    let name = resolved.get(key);
    if (name === undefined) {
      name = resolve(loader, parentName, filename);
      resolved.set(key, name);
    }
    return name;
  };
}

/**
 * Templates as written, less each line's indentation. Indentation in the source (ours and GOV.UK Frontend's) was a
 * fifth of every page sent, and of the time to send it; the line breaks stay, so words never run together. No
 * template writes a `pre` or a `textarea` with its text in the source, where indentation would be content.
 */
class UnindentedLoader extends nunjucks.FileSystemLoader {
  override getSource(name: string): nunjucks.LoaderSource {
    // Typed as always found, but null when not (Nunjucks then says which template is missing): passed on as it is.
    const source = super.getSource(name) as nunjucks.LoaderSource | null;
    if (source === null) return source as unknown as nunjucks.LoaderSource;
    return { ...source, src: source.src.replace(/^[ \t]+/gm, '') };
  }
}

/** Built once at start-up; every module's views folder is on the search path. */
export function createViewEnvironment(moduleViewFolders: readonly string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new UnindentedLoader(
      [
        path.join(root, 'src/platform/views/templates'),
        ...moduleViewFolders,
        path.join(root, 'node_modules/govuk-frontend/dist'),
        path.join(root, 'node_modules/@ministryofjustice/frontend'),
      ],
      { noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false },
  );
  rememberResolvedNames(env);
  env.addGlobal('pageNumbers', pageNumbers);
  // `| date(lang)` on public pages: the day in the reader's language.
  env.addFilter('date', (value: unknown, lang?: unknown) => formatDate(value, isLanguage(lang) ? lang : undefined));
  env.addFilter('dateTime', (value: unknown) => formatDateTime(value));
  return env;
}

export function viewsOf(moduleUrl: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), 'views');
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

function formatDate(value: unknown, lang?: LanguageCode): string {
  return typeof value === 'string' && value ? longDate(value, lang) : '';
}

function formatDateTime(value: unknown): string {
  return typeof value === 'string' && value ? dateTimeFormat.format(new Date(value)) : '';
}
