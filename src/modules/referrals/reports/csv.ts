import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula, SPREADSHEET_SAFE } from '../../audit/csv.js';
import type { ReferralReport } from './service.js';
import { publishedCsv } from './suppression.js';

export const CSV_NOTE = 'Counts from 1 to 4 are shown as <5. Counts shown as [c] are hidden so that a small number cannot be worked out from the totals.';

/** One row per published figure: table, category, period, value. Values are exactly those on the page. */
export function reportCsv(report: ReferralReport): string {
  const rows: string[][] = [];
  for (const table of report.tables) {
    for (const row of table.rows) {
      report.periods.forEach((period, index) => rows.push([table.id, row.label, period.label, publishedCsv(row.cells[index] ?? { kind: 'not-shown' })]));
      rows.push([table.id, row.label, 'All periods', publishedCsv(row.total)]);
    }
    report.periods.forEach((period, index) => rows.push([table.id, 'All', period.label, publishedCsv(table.totals.cells[index] ?? { kind: 'not-shown' })]));
    rows.push([table.id, 'All', 'All periods', publishedCsv(table.totals.total)]);
  }
  for (const median of report.medianHours) rows.push(['median-hours-to-first-contact', 'All routes contacted', median.period.label, median.hours === null ? '[c]' : String(median.hours)]);
  return stringify(
    rows.map((row) => row.map(neutraliseFormula)),
    { header: true, columns: ['table', 'category', 'period', 'value'], bom: true, ...SPREADSHEET_SAFE },
  );
}
