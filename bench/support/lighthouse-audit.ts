/**
 * Runs Lighthouse (performance and accessibility, its default mobile settings with simulated throttling) on pages
 * of a running server, in Debian's Chromium, and prints one JSON line of results. It runs as its own process
 * (see bench/scenarios/lighthouse.ts) so that Lighthouse's own work never shares the server's event loop.
 *
 *   node --import tsx bench/support/lighthouse-audit.ts <base url> <path> [<path> ...]
 */
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CHROMIUM = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export interface PageAudit {
  readonly path: string;
  readonly performance: number | null;
  readonly accessibility: number | null;
  /** Bytes transferred for the page and everything it loaded (Lighthouse's total-byte-weight). */
  readonly bytes: number | null;
  readonly requests: number | null;
  /** Audits that lost points, so a score below 100 says why. */
  readonly failing: readonly string[];
  readonly error: string | null;
  readonly lighthouseVersion: string;
  /** 2 when the first run failed to record and Lighthouse was run again. */
  readonly attempts: number;
}

async function audit(baseUrl: string, paths: readonly string[]): Promise<PageAudit[]> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: FLAGS, logLevel: 'silent' });
  try {
    const results: PageAudit[] = [];
    for (const path of paths) {
      // A run that fails to record its trace (NO_NAVSTART and the like) asks to be run again: once, and said so.
      let attempts = 0;
      let lhr;
      do {
        attempts += 1;
        const result = await lighthouse(`${baseUrl}${path}`, { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: ['performance', 'accessibility'] });
        if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
        lhr = result.lhr;
      } while (lhr.runtimeError && attempts < 2);
      const score = (id: string) => {
        const value = lhr.categories[id]?.score;
        return typeof value === 'number' ? Math.round(value * 100) : null;
      };
      const weight = lhr.audits['total-byte-weight'];
      const network = lhr.audits['network-requests']?.details;
      const failing = Object.values(lhr.categories)
        .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0).map((ref) => lhr.audits[ref.id]))
        .filter((entry) => entry !== undefined && typeof entry.score === 'number' && entry.score < 0.9)
        .map((entry) => `${entry?.id ?? ''}${entry?.displayValue ? ` (${entry.displayValue})` : ''}`);
      results.push({
        path,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bytes: typeof weight?.numericValue === 'number' ? weight.numericValue : null,
        requests: network && 'items' in network && Array.isArray(network.items) ? network.items.length : null,
        failing,
        error: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
        lighthouseVersion: lhr.lighthouseVersion,
        attempts,
      });
    }
    return results;
  } finally {
    chrome.kill();
  }
}

const [baseUrl, ...paths] = process.argv.slice(2);
if (!baseUrl || paths.length === 0) {
  process.stderr.write('Usage: node --import tsx bench/support/lighthouse-audit.ts <base url> <path> [<path> ...]\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await audit(baseUrl, paths))}\n`);
