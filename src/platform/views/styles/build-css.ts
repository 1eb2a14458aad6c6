import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const assets = path.join(root, 'src/platform/views/assets');

/** Each stylesheet is compiled from GOV.UK Frontend's Sass and ours into a committed, compressed file. */
export const STYLESHEETS = [
  { name: 'public', source: path.join(root, 'src/modules/support/styles/public.scss'), output: path.join(assets, 'public.css') },
  { name: 'professional', source: path.join(here, 'professional.scss'), output: path.join(assets, 'professional.css') },
] as const;

export function compileStylesheet(source: string): string {
  const result = sass.compile(source, {
    style: 'compressed',
    loadPaths: [path.join(root, 'node_modules/govuk-frontend/dist')],
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'slash-div', 'color-functions'],
  });
  return `${result.css}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const sheet of STYLESHEETS) {
    fs.writeFileSync(sheet.output, compileStylesheet(sheet.source));
    process.stdout.write(`Wrote ${path.relative(root, sheet.output)}\n`);
  }
}
