import type { Actor } from '../../../platform/access/policy.js';
import type { AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { Db } from '../../../platform/db/database.js';
import type { ReferenceService } from '../../admin/reference-service.js';
import { RISK_LEVEL_LABELS, ROUTE_KIND_LABELS } from '../options.js';
import { RISK_LEVELS } from '../rules/schema.js';
import { ROUTE_KINDS } from '../tables.js';
import { periodsOf, rangeOf, type Period } from './periods.js';
import { medianHours, organisationNames, referralBreakdown, routeBreakdown } from './repository.js';
import type { ReportFilters } from './schemas.js';
import { suppress, THRESHOLD, type Published } from './suppression.js';

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
  function table(id: string, title: string, counting: string, rowHeading: string, periods: readonly Period[], categories: ReadonlyArray<{ key: string; label: string }>, data: readonly MonthCount[]): ReportTable {
    const periodOfMonth = new Map(periods.flatMap((period, index) => period.months.map((month) => [month, index] as const)));
    const rowOf = new Map(categories.map((category, index) => [category.key, index]));
    const cells = categories.map(() => periods.map(() => 0));
    for (const count of data) {
      const row = rowOf.get(count.category);
      const column = periodOfMonth.get(count.month);
      if (row === undefined || column === undefined) continue;
      const line = cells[row];
      if (line) line[column] = (line[column] ?? 0) + count.n;
    }
    const published = suppress({ cells });
    return {
      id,
      title,
      counting,
      rowHeading,
      rows: categories.map((category, index) => ({ ...category, cells: published.cells[index] ?? [], total: published.rowTotals[index] ?? { kind: 'count', value: 0 } })),
      totals: { cells: published.columnTotals, total: published.grandTotal },
    };
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

    const tables = [
      table('district', 'Referrals by district', 'referrals made', 'District', periods, districtRows, districts),
      table('risk', 'Referrals by risk level', 'referrals made', 'Risk level', periods, RISK_LEVELS.map((level) => ({ key: level, label: RISK_LEVEL_LABELS[level] ?? level })), risks),
      table('route', 'Routes by kind', 'routes of the referrals made, including those passed on after a decline', 'Route', periods, ROUTE_KINDS.map((kind) => ({ key: kind, label: ROUTE_KIND_LABELS[kind] ?? kind })), kinds),
      table('agency', 'Referrals by referring agency', 'referrals made', 'Referring agency', periods, agencyRows, agencies),
      table('first-contact', 'Time to first contact', 'routes of the referrals made', 'First contact', periods, Object.entries(FIRST_CONTACT_LABELS).map(([key, label]) => ({ key, label })), contact),
    ];
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
      await audit.record({ action: 'REFERRAL_REPORT_VIEWED', actorUserId: actor.userId, actorOrganisationId: actor.organisationId, recordType: 'referral_report', details: { ...filters }, ...origin });
      return result;
    },

    async export(actor: Actor, filters: ReportFilters, origin: RequestOrigin): Promise<ReferralReport> {
      const result = await build(filters);
      await audit.record({ action: 'REFERRAL_REPORT_EXPORTED', actorUserId: actor.userId, actorOrganisationId: actor.organisationId, recordType: 'referral_report', details: { ...filters }, ...origin });
      return result;
    },
  };
}

export type ReferralReports = ReturnType<typeof createReferralReports>;
