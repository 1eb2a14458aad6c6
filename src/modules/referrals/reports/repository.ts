import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';

/**
 * Report queries: counts of coded values grouped by calendar month, straight from the plain columns. Nothing here
 * reads an encrypted column, so a report never decrypts anyone's details.
 */

export interface MonthCount {
  readonly month: string;
  readonly category: string;
  readonly n: number;
}

const month = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 7)`;

function counts(rows: ReadonlyArray<{ month: string; category: string | null; n: string | number | bigint }>): MonthCount[] {
  return rows.map((row) => ({ month: row.month, category: row.category ?? 'unknown', n: Number(row.n) }));
}

export type ReferralDimension = 'district' | 'risk_level' | 'referrer_organisation_id';

export async function referralCounts(executor: Executor, dimension: ReferralDimension, since: string, until: string): Promise<MonthCount[]> {
  const rows = await executor
    .selectFrom('referrals')
    .select([month('submitted_at').as('month'), sql<string>`${sql.ref(dimension)}`.as('category'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('submitted_at', '>=', since)
    .where('submitted_at', '<', until)
    .groupBy([month('submitted_at'), sql.ref(dimension)])
    .execute();
  return counts(rows);
}

export async function routeKindCounts(executor: Executor, since: string, until: string): Promise<MonthCount[]> {
  const rows = await executor
    .selectFrom('referral_routes')
    .select([month('created_at').as('month'), 'kind as category', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('created_at', '>=', since)
    .where('created_at', '<', until)
    .groupBy([month('created_at'), 'kind'])
    .execute();
  return counts(rows);
}

/** Each route's first-contact standing, worked out in the query so only counts come back. */
export async function firstContactCounts(executor: Executor, since: string, until: string, now: string): Promise<MonthCount[]> {
  const standing = sql<string>`case
    when first_contact_at is not null and first_contact_due_at is not null and first_contact_at <= first_contact_due_at then 'within_target'
    when first_contact_at is not null and first_contact_due_at is not null then 'late'
    when first_contact_at is not null then 'contacted_no_target'
    when status in ('new', 'accepted') and first_contact_due_at is not null and first_contact_due_at < ${now} then 'overdue'
    when status in ('new', 'accepted') then 'not_yet_due'
    else 'ended_without_contact' end`;
  // Grouped in an outer query: PostgreSQL will not group by an expression holding a parameter.
  const standings = executor
    .selectFrom('referral_routes')
    .select([month('created_at').as('month'), standing.as('category')])
    .where('created_at', '>=', since)
    .where('created_at', '<', until)
    .as('standings');
  const rows = await executor
    .selectFrom(standings)
    .select(['standings.month', 'standings.category', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy(['standings.month', 'standings.category'])
    .execute();
  return counts(rows);
}

/** When each contacted route was received and first contacted, for the median time to first contact. */
export function contactTimes(executor: Executor, since: string, until: string) {
  return executor
    .selectFrom('referral_routes')
    .select(['created_at', 'first_contact_at'])
    .where('created_at', '>=', since)
    .where('created_at', '<', until)
    .where('first_contact_at', 'is not', null)
    .execute();
}

export function organisationNames(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute();
}
