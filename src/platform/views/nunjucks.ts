import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const ASSET_ROOTS = {
  govuk: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
  moj: path.join(root, 'node_modules/@ministryofjustice/frontend/moj'),
  own: path.join(root, 'src/platform/views/assets'),
};

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
