import type { Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { Db } from '../../../platform/db/database.js';
import type { ReferenceService } from '../../admin/reference-service.js';
import { RISK_LEVEL_LABELS, ROUTE_KIND_LABELS } from '../options.js';
import { RISK_LEVELS } from '../rules/schema.js';
import { ROUTE_KINDS } from '../tables.js';
import { periodsOf, rangeOf, type Period } from './periods.js';
import { medianHours, organisationNames, referralBreakdown, routeBreakdown } from './repository.js';
import type { ReportFilters } from './schemas.js';
import { suppressTogether, THRESHOLD, type Published } from './suppression.js';

interface MonthCount {
  readonly month: string;
  readonly category: string;
  readonly n: number;
}

export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly counting: string;
  readonly rowHeading: string;
  readonly rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly cells: readonly Published[]; readonly total: Published }>;
  readonly totals: { readonly cells: readonly Published[]; readonly total: Published };
}

export interface ReferralReport {
  readonly periods: readonly Period[];
  readonly tables: readonly ReportTable[];
  /** Median hours from a route's arrival to first contact, per period; hidden when fewer than 5 contacts. */
  readonly medianHours: ReadonlyArray<{ readonly period: Period; readonly hours: number | null }>;
}

export const FIRST_CONTACT_LABELS: Record<string, string> = {
  within_target: 'Contacted within target',
  late: 'Contacted late',
  contacted_no_target: 'Contacted (no target set)',
  overdue: 'Not contacted yet, overdue',
  not_yet_due: 'Not contacted yet, not due',
  ended_without_contact: 'Declined or closed without contact',
};

export interface ReferralReportsDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly reference: ReferenceService;
  readonly clock: () => Date;
}

/**
 * Partnership reports on referrals: counts by district, risk level, route, referring agency and first-contact
 * timeliness, by month or quarter. Every figure that leaves the service goes through suppress(): the page and
 * the CSV show exactly the same published values.
 */
export function createReferralReports({ db, audit, reference, clock }: ReferralReportsDeps) {
  interface TableSpec {
    readonly id: string;
    readonly title: string;
    readonly counting: string;
    readonly rowHeading: string;
    readonly categories: ReadonlyArray<{ key: string; label: string }>;
    readonly data: readonly MonthCount[];
  }

  function countsOf(periods: readonly Period[], spec: TableSpec): number[][] {
    const periodOfMonth = new Map(periods.flatMap((period, index) => period.months.map((month) => [month, index] as const)));
    const rowOf = new Map(spec.categories.map((category, index) => [category.key, index]));
    const cells = spec.categories.map(() => periods.map(() => 0));
    for (const count of spec.data) {
      const row = rowOf.get(count.category);
      const column = periodOfMonth.get(count.month);
      if (row === undefined || column === undefined) continue;
      const line = cells[row];
      if (line) line[column] = (line[column] ?? 0) + count.n;
    }
    return cells;
  }

  /** Tables counting the same people (referrals, or routes), suppressed together so none undoes another. */
  function tablesOfTheSamePeople(periods: readonly Period[], specs: readonly TableSpec[]): ReportTable[] {
    const published = suppressTogether(specs.map((spec) => ({ cells: countsOf(periods, spec) })));
    return specs.map((spec, index) => {
      const table = published[index];
      if (!table) throw new Error(`No published table for ${spec.id}.`);
      return {
        id: spec.id,
        title: spec.title,
        counting: spec.counting,
        rowHeading: spec.rowHeading,
        rows: spec.categories.map((category, row) => ({ ...category, cells: table.cells[row] ?? [], total: table.rowTotals[row] ?? { kind: 'count', value: 0 } })),
        totals: { cells: table.columnTotals, total: table.grandTotal },
      };
    });
  }

  async function build(filters: ReportFilters): Promise<ReferralReport> {
    const periods = periodsOf(filters.from, filters.to, filters.by);
    const { since, until } = rangeOf(periods);
    const now = clock().toISOString();
    const [referrals, routes, middles, areas] = await Promise.all([
      referralBreakdown(db.kysely, since, until),
      routeBreakdown(db.kysely, since, until, now),
      medianHours(db.kysely, db.dialect, since, until, filters.by),
      reference.listAreas(),
    ]);
    const by = <T extends { month: string; n: number }>(rows: readonly T[], category: (row: T) => string): MonthCount[] => rows.map((row) => ({ month: row.month, category: category(row), n: row.n }));
    const districts = by(referrals, (row) => row.district);
    const risks = by(referrals, (row) => row.riskLevel);
    const agencies = by(referrals, (row) => row.agency);
    const kinds = by(routes, (row) => row.kind);
    const contact = by(routes, (row) => row.standing);
    const agencyNames = await organisationNames(db.kysely, [...new Set(agencies.map((row) => row.category))]);
    const agencyRows = agencyNames.map((row) => ({ key: row.id, label: row.name })).sort((a, b) => a.label.localeCompare(b.label));
    const districtRows = areas.map((area) => ({ key: area.code, label: area.name }));
    for (const code of new Set(districts.map((row) => row.category))) if (!districtRows.some((row) => row.key === code)) districtRows.push({ key: code, label: code });

    const referralTables = tablesOfTheSamePeople(periods, [
      { id: 'district', title: 'Referrals by district', counting: 'referrals made', rowHeading: 'District', categories: districtRows, data: districts },
      { id: 'risk', title: 'Referrals by risk level', counting: 'referrals made', rowHeading: 'Risk level', categories: RISK_LEVELS.map((level) => ({ key: level, label: RISK_LEVEL_LABELS[level] ?? level })), data: risks },
      { id: 'agency', title: 'Referrals by referring agency', counting: 'referrals made', rowHeading: 'Referring agency', categories: agencyRows, data: agencies },
    ]);
    const routeTables = tablesOfTheSamePeople(periods, [
      { id: 'route', title: 'Routes by kind', counting: 'routes of the referrals made, including those passed on after a decline', rowHeading: 'Route', categories: ROUTE_KINDS.map((kind) => ({ key: kind, label: ROUTE_KIND_LABELS[kind] ?? kind })), data: kinds },
      { id: 'first-contact', title: 'Time to first contact', counting: 'routes of the referrals made', rowHeading: 'First contact', categories: Object.entries(FIRST_CONTACT_LABELS).map(([key, label]) => ({ key, label })), data: contact },
    ]);
    const byId = new Map([...referralTables, ...routeTables].map((table) => [table.id, table]));
    // The page's order: district, risk, route, agency, first contact.
    const tables = ['district', 'risk', 'route', 'agency', 'first-contact'].flatMap((id) => byId.get(id) ?? []);
    // A median of fewer than 5 contacts is itself a small number: it could describe one person's case.
    const medianRows = periods.map((period) => {
      const middle = middles.get(period.key);
      return { period, hours: middle && middle.contacts >= THRESHOLD ? Math.round(middle.hours * 10) / 10 : null };
    });
    return { periods, tables, medianHours: medianRows };
  }

  return {
    async report(actor: Actor, filters: ReportFilters, origin: RequestOrigin): Promise<ReferralReport> {
      const result = await build(filters);
      await audit.record({ action: 'REFERRAL_REPORT_VIEWED', ...actedBy(actor, origin), recordType: 'referral_report', details: { ...filters } });
      return result;
    },

    async export(actor: Actor, filters: ReportFilters, origin: RequestOrigin): Promise<ReferralReport> {
      const result = await build(filters);
      await audit.record({ action: 'REFERRAL_REPORT_EXPORTED', ...actedBy(actor, origin), recordType: 'referral_report', details: { ...filters } });
      return result;
    },
  };
}

export type ReferralReports = ReturnType<typeof createReferralReports>;
