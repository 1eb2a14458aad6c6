import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const ASSET_ROOTS = {
  govuk: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
  moj: path.join(root, 'node_modules/@ministryofjustice/frontend/moj'),
  own: path.join(root, 'src/platform/views/assets'),
};

type ExportsCallback = (error: unknown, exported?: unknown) => void;
interface TemplateInternals {
  getExported: (this: object, context: unknown, parentFrame?: unknown, callback?: ExportsCallback) => void;
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
  prototype.getExported = function getExported(this: object, context: unknown, parentFrame?: unknown, callback?: ExportsCallback): void {
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
      if (!error) known.set(this, exported);
      done(error, exported);
    });
  };
}
rememberImports();

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

/** Built once at start-up; every module's views folder is on the search path. */
export function createViewEnvironment(moduleViewFolders: readonly string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
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
  env.addFilter('date', (value: unknown) => formatDate(value));
  env.addFilter('dateTime', (value: unknown) => formatDateTime(value));
  return env;
}

export function viewsOf(moduleUrl: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), 'views');
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

function formatDate(value: unknown): string {
  return typeof value === 'string' && value ? dateFormat.format(new Date(value)) : '';
}

function formatDateTime(value: unknown): string {
  return typeof value === 'string' && value ? dateTimeFormat.format(new Date(value)) : '';
}
