import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageAudit } from '../support/lighthouse-audit.js';
import type { BenchContext, BenchRow, Scenario } from '../support/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? process.env['CHROME_PATH'] ?? '/usr/bin/chromium';

/** Home, a results page and a service page of the public site, as someone at risk would go through them. */
async function publicPages(context: BenchContext): Promise<Array<{ label: string; path: string }>> {
  const directory = await context.platform.services.directory.published.current();
  // A hand-written demo service (not a generated one): the fullest page, with hours, phones and locations.
  const service = directory.services.find((candidate) => candidate.name.startsWith('Demo Kent-wide IDVA')) ?? directory.services[0];
  if (!service) throw new Error('No published service to audit.');
  return [
    { label: 'home /', path: '/' },
    { label: 'results /services?location=Margate&need=idva', path: '/services?location=Margate&need=idva' },
    { label: 'service page /services/<id>', path: `/services/${service.id}` },
  ];
}

function runAudit(baseUrl: string, paths: readonly string[]): Promise<PageAudit[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench/support/lighthouse-audit.ts'), baseUrl, ...paths],
      { cwd: root, env: { ...process.env, CHROME_PATH: CHROMIUM }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${error.message.split('\n')[0] ?? 'failed'}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PageAudit[]);
        } catch {
          reject(new Error(`Lighthouse printed no results: ${stdout.slice(0, 300)} ${stderr.slice(0, 300)}`));
        }
      },
    );
  });
}

/**
 * Issue 3's Lighthouse figures: performance and accessibility scores (target 100) and bytes transferred for the
 * home page, a results page and a service page, with Lighthouse's default mobile settings and simulated
 * throttling, in Debian's Chromium. If Lighthouse cannot run here the table says why; it never shows a made-up score.
 */
export const lighthouseScenario: Scenario = {
  name: 'lighthouse',
  description: 'Lighthouse performance and accessibility scores and bytes transferred for home, results and a service page (Chromium at CHROMIUM_PATH, as the browser tests use, or /usr/bin/chromium)',
  async run(context) {
    const rows: BenchRow[] = [];
    const row = (measure: string, target: string, measured: string, pass?: boolean) => rows.push({ scenario: 'lighthouse', database: context.dialect, measure, target, measured, ...(pass === undefined ? {} : { pass }) });
    const pages = await publicPages(context);
    let audits: PageAudit[];
    try {
      if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROME_PATH)`);
      audits = await runAudit(context.baseUrl, pages.map((page) => page.path));
    } catch (error) {
      row('Lighthouse', '100 / 100', `NOT MEASURED: Lighthouse could not run: ${error instanceof Error ? error.message : String(error)}`, false);
      return rows;
    }
    for (const page of pages) {
      const audit = audits.find((candidate) => candidate.path === page.path);
      if (!audit || audit.error) {
        row(page.label, '100 / 100', `NOT MEASURED: ${audit?.error ?? 'no result'}`, false);
        continue;
      }
      const why = audit.failing.length ? `; lost points: ${audit.failing.join(', ')}` : '';
      row(`${page.label}: performance`, '100', `${String(audit.performance)}${why}`, audit.performance === 100);
      row(`${page.label}: accessibility`, '100', String(audit.accessibility), audit.accessibility === 100);
      row(`${page.label}: bytes transferred`, '-', `${((audit.bytes ?? 0) / 1024).toFixed(1)} KB in ${String(audit.requests)} requests (Lighthouse ${audit.lighthouseVersion}, mobile${audit.attempts > 1 ? '; second run, the first failed to record' : ''})`);
    }
    return rows;
  },
};
