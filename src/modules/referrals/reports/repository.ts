import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../../../platform/db/database.js';
import type { Granularity } from './periods.js';

/**
 * Report queries: counts of coded values grouped by calendar month, straight from the plain columns, in as few
 * passes as possible (one over the period's referrals, one over their routes). Nothing here reads an encrypted
 * column, so a report never decrypts anyone's details. Routes are counted by the month their referral was made,
 * so every table in a report covers the same referrals (including routes made when one was passed on).
 */

const month = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 7)`;
type Count = string | number | bigint;

export async function referralBreakdown(executor: Executor, since: string, until: string) {
  const rows = await executor
    .selectFrom('referrals')
    .select([month('submitted_at').as('month'), 'district', 'risk_level', 'referrer_organisation_id', (eb) => eb.fn.countAll<Count>().as('n')])
    .where('submitted_at', '>=', since)
    .where('submitted_at', '<', until)
    .groupBy([month('submitted_at'), 'district', 'risk_level', 'referrer_organisation_id'])
    .execute();
  return rows.map((row) => ({ month: row.month, district: row.district, riskLevel: row.risk_level, agency: row.referrer_organisation_id, n: Number(row.n) }));
}

function routesOfPeriod(executor: Executor, since: string, until: string) {
  return executor
    .selectFrom('referrals')
    .innerJoin('referral_routes', 'referral_routes.referral_id', 'referrals.id')
    .where('referrals.submitted_at', '>=', since)
    .where('referrals.submitted_at', '<', until);
}

/** Routes by kind and first-contact standing, worked out in the query so only counts come back. */
export async function routeBreakdown(executor: Executor, since: string, until: string, now: string) {
  const standing = sql<string>`case
    when first_contact_at is not null and first_contact_due_at is not null and first_contact_at <= first_contact_due_at then 'within_target'
    when first_contact_at is not null and first_contact_due_at is not null then 'late'
    when first_contact_at is not null then 'contacted_no_target'
    when referral_routes.status in ('new', 'accepted') and first_contact_due_at is not null and first_contact_due_at < ${now} then 'overdue'
    when referral_routes.status in ('new', 'accepted') then 'not_yet_due'
    else 'ended_without_contact' end`;
  // Grouped in an outer query: PostgreSQL will not group by an expression holding a parameter.
  const routes = routesOfPeriod(executor, since, until)
    .select([month('referrals.submitted_at').as('month'), 'referral_routes.kind as kind', standing.as('standing')])
    .as('routes');
  const rows = await executor
    .selectFrom(routes)
    .select(['routes.month', 'routes.kind', 'routes.standing', (eb) => eb.fn.countAll<Count>().as('n')])
    .groupBy(['routes.month', 'routes.kind', 'routes.standing'])
    .execute();
  return rows.map((row) => ({ month: row.month, kind: row.kind, standing: row.standing, n: Number(row.n) }));
}

/** The period key of a referral, matching periods.ts: `2026-03` or `2026-Q1`. */
function periodKey(granularity: Granularity): RawBuilder<string> {
  return granularity === 'month'
    ? month('referrals.submitted_at')
    : sql<string>`substr(referrals.submitted_at, 1, 4) || '-Q' || cast((cast(substr(referrals.submitted_at, 6, 2) as integer) + 2) / 3 as text)`;
}

/** Hours between two ISO timestamps; the dialects differ, so each has its expression (PostgreSQL's numeric arrives as a string). */
function hoursBetween(dialect: Dialect): RawBuilder<number | string> {
  return dialect === 'postgres'
    ? sql<number | string>`extract(epoch from (cast(referral_routes.first_contact_at as timestamptz) - cast(referral_routes.created_at as timestamptz))) / 3600.0`
    : sql<number | string>`(julianday(referral_routes.first_contact_at) - julianday(referral_routes.created_at)) * 24.0`;
}

/**
 * The median hours to first contact per period, with how many contacts it is taken over: the database ranks
 * each period's contacts and returns only the middle one or two, not every contact.
 */
export async function medianHours(executor: Executor, dialect: Dialect, since: string, until: string, granularity: Granularity) {
  const ranked = routesOfPeriod(executor, since, until)
    .where('referral_routes.first_contact_at', 'is not', null)
    .select([
      periodKey(granularity).as('period'),
      hoursBetween(dialect).as('hours'),
      sql<number>`row_number() over (partition by ${periodKey(granularity)} order by ${hoursBetween(dialect)})`.as('rank'),
      sql<Count>`count(*) over (partition by ${periodKey(granularity)})`.as('total'),
    ])
    .as('ranked');
  const rows = await executor
    .selectFrom(ranked)
    .select(['ranked.period', 'ranked.hours', 'ranked.total'])
    .where(sql<boolean>`ranked.rank in ((ranked.total + 1) / 2, (ranked.total + 2) / 2)`)
    .execute();
  const byPeriod = new Map<string, { sum: number; values: number; total: number }>();
  for (const row of rows) {
    const entry = byPeriod.get(row.period) ?? { sum: 0, values: 0, total: Number(row.total) };
    entry.sum += Math.max(0, Number(row.hours));
    entry.values += 1;
    byPeriod.set(row.period, entry);
  }
  return new Map([...byPeriod].map(([period, entry]) => [period, { hours: entry.sum / entry.values, contacts: entry.total }]));
}

export function organisationNames(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute();
}
