import { afterAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../../src/platform/access/policy.js';
import { createTestPlatform } from '../support/platform.js';
import type { Visitor } from '../support/visitor.js';
import { crawl } from './support/crawl.js';
import { anonymousVisitor, personWithRole } from './support/people.js';
import { leakedInternals } from './support/requests.js';
import { matchesPattern, routesOf } from './support/routes.js';

/**
 * Searches, filters and paging read the address. Awkward text there (a NUL, which PostgreSQL refuses as text; a
 * number past any column; a huge value; a repeated name) must get a page or a clear refusal, never a 5xx.
 */
const AWKWARD_VALUES = ['\u0000', 'a\u0000b', '%', '99999999999999999999', '-1', '2024-02-30', '[]', '\u202e', 'x'.repeat(300)];
/** Names the app's pages read, besides those a crawl finds in forms and links. */
const COMMON_NAMES = ['q', 'search', 'page', 'per_page', 'status', 'from', 'to', 'month', 'area', 'need', 'location', 'postcode', 'record', 'user', 'action', 'notice', 'lang', 'next'];

const platform = await createTestPlatform();
const pagePatterns = routesOf(platform.app).filter((route) => route.method === 'GET').map((route) => route.url);
const shapeOf = (url: string) => pagePatterns.find((pattern) => matchesPattern(pattern, url)) ?? url;

afterAll(() => platform.close());

describe('awkward text in the address of every page that reads it', () => {
  it.each(['signed-out', ...ROLE_NAMES])('as %s: never a 5xx or an internal detail', { timeout: 120_000 }, async (who) => {
    const visitor: Visitor = who === 'signed-out' ? await anonymousVisitor(platform) : (await personWithRole(platform, who as (typeof ROLE_NAMES)[number])).visitor;
    const { pages, forms } = await crawl(visitor, who === 'signed-out' ? ['/', '/services', '/app/sign-in'] : ['/app'], { shapeOf, perShape: 1 });
    const names = new Map<string, Set<string>>();
    const add = (url: string, more: Iterable<string>) => {
      const [path = '', query = ''] = url.split('?');
      const known = names.get(path) ?? new Set(COMMON_NAMES);
      for (const name of [...more, ...new URLSearchParams(query).keys()]) known.add(name);
      names.set(path, known);
    };
    for (const page of pages) add(page, []);
    for (const form of forms.filter((found) => found.method === 'GET')) add(form.action, form.fields);

    const failures: string[] = [];
    for (const [path, fields] of names) {
      for (const value of AWKWARD_VALUES) {
        for (const times of [1, 2]) {
          const query = new URLSearchParams([...fields].flatMap((name) => Array.from({ length: times }, (): [string, string] => [name, value])));
          const response = await visitor.get(`${path}?${query.toString()}`);
          const leak = leakedInternals(response.body);
          if (response.statusCode >= 500 || leak) failures.push(`${String(response.statusCode)} ${path} with ${JSON.stringify(value.slice(0, 12))} ×${String(times)}${leak ? `, showing ${leak}` : ''}`);
        }
      }
    }
    expect(names.size).toBeGreaterThan(1);
    expect(failures).toEqual([]);
  });
});
