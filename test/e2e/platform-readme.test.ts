import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/cli/config-table.js';
import { DEMO_PASSWORD } from '../../src/platform/seed/demo-users.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The README is the first thing an operator follows: these checks keep it true as the code moves. */
describe('README', () => {
  it('opens with the two commands, and they are real npm scripts', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('## '));
    expect(firstBlock).toMatch(/^npm install && npm start\b/m);
    expect(firstBlock).toMatch(/^npm install && npm test\b/m);
    for (const script of ['start', 'test', 'cli', 'bench', 'screenshots', 'test:browser', 'typecheck', 'lint']) expect(packageJson.scripts).toHaveProperty(script);
  });

  it('has the configuration table generated from the schema that parses the environment', () => {
    expect(readme).toContain(configTable());
  });

  it('gives the demo password the seed uses, and shows screenshots that exist', () => {
    expect(readme).toContain(DEMO_PASSWORD);
    const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(fs.existsSync(path.join(root, image)), image).toBe(true);
  });
});
