import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
export const PUBLIC_CSS_OUTPUT = path.join(root, 'src/platform/views/assets/public.css');

/** Compiles the public stylesheet from GOV.UK Frontend's Sass and ours, compressed. */
export function compilePublicCss(): string {
  const result = sass.compile(path.join(here, 'public.scss'), {
    style: 'compressed',
    loadPaths: [path.join(root, 'node_modules/govuk-frontend/dist')],
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'slash-div', 'color-functions'],
  });
  return `${result.css}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(PUBLIC_CSS_OUTPUT, compilePublicCss());
  process.stdout.write(`Wrote ${path.relative(root, PUBLIC_CSS_OUTPUT)}\n`);
}
