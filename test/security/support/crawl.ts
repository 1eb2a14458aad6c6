import type { Visitor } from '../../support/visitor.js';

export interface FoundForm {
  readonly action: string;
  readonly method: string;
  readonly fields: readonly string[];
  /** The file inputs of a form sent as multipart/form-data (an upload); empty for every other form. */
  readonly files: readonly string[];
}

export interface CrawlOptions {
  readonly limit?: number;
  readonly perShape?: number;
  /** Names the kind of page an address is (e.g. its route pattern), so the crawl samples each kind. */
  readonly shapeOf?: (url: string) => string;
}

export interface CrawlResult {
  readonly pages: readonly string[];
  readonly forms: readonly FoundForm[];
}

const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#39;/g, "'").replace(/&quot;/g, '"');

/**
 * Follows the links a person can see, as that person, and notes every form: where it posts and the names of its
 * fields. The fuzzer uses these to reach real records (real ids in form actions) with plausible field names.
 */
export async function crawl(visitor: Visitor, start: readonly string[], options: CrawlOptions = {}): Promise<CrawlResult> {
  const { limit = 150, perShape = 2, shapeOf = (url: string) => url } = options;
  const queue = [...start];
  const seen = new Set<string>(queue);
  const visitsByShape = new Map<string, number>();
  const pages: string[] = [];
  const forms = new Map<string, FoundForm>();
  while (queue.length > 0 && pages.length < limit) {
    const url = queue.shift() ?? '';
    const response = await visitor.get(url);
    if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('text/html')) continue;
    pages.push(url);
    for (const match of response.body.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
      const href = decode(match[1] ?? '').split('#')[0] ?? '';
      if (!worthFollowing(href) || seen.has(href)) continue;
      seen.add(href);
      // A few instances of each kind of page are enough: the hundredth postcode district shows the same forms.
      const shape = shapeOf(href);
      const visits = visitsByShape.get(shape) ?? 0;
      if (visits >= perShape) continue;
      visitsByShape.set(shape, visits + 1);
      queue.push(href);
    }
    for (const match of response.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const attributes = match[1] ?? '';
      const action = decode(/\baction="([^"]*)"/.exec(attributes)?.[1] ?? url);
      const method = (/\bmethod="([^"]*)"/.exec(attributes)?.[1] ?? 'get').toUpperCase();
      const fields = [...(match[2] ?? '').matchAll(/\bname="([^"]+)"/g)].map((field) => decode(field[1] ?? '')).filter((name) => name !== '_csrf');
      const files = /\benctype="multipart\/form-data"/.test(attributes) ? [...(match[2] ?? '').matchAll(/<input\b[^>]*\btype="file"[^>]*>/g)].map((input) => decode(/\bname="([^"]+)"/.exec(input[0])?.[1] ?? '')) : [];
      const key = `${method} ${action}`;
      const known = forms.get(key);
      forms.set(key, { action, method, fields: [...new Set([...(known?.fields ?? []), ...fields])], files: [...new Set([...(known?.files ?? []), ...files])] });
    }
  }
  return { pages, forms: [...forms.values()] };
}

function worthFollowing(href: string): boolean {
  if (!href.startsWith('/') || href.startsWith('//')) return false;
  if (href.startsWith('/assets/')) return false;
  // Downloads and exports are pages too, but large and not HTML: the crawl is for forms.
  return !/\.(?:csv|json|png|svg|pdf|zip)(?:\?|$)/.test(href) && !href.includes('/export');
}
