import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { ROUTE_STATUSES, type ReferralEventTable, type ReferralRouteTable, type RiskLevel, type RouteStatus } from '../tables.js';

/** Routes still waiting for the receiving service's first contact (the only ones that can be overdue). */
export const AWAITING_CONTACT: readonly RouteStatus[] = ['new', 'accepted'];
export const OPEN: readonly RouteStatus[] = ['new', 'accepted', 'in_contact'];

export interface InboxQuery {
  readonly organisationId: string;
  readonly statuses: readonly RouteStatus[];
  readonly risk: RiskLevel | null;
  readonly overdueAt: string | null;
  readonly limit: number;
  readonly offset: number;
}

/** Statuses a query can match: the overdue filter narrows them to those still waiting for first contact. */
function matchableStatuses(query: Omit<InboxQuery, 'limit' | 'offset'>): readonly RouteStatus[] {
  return query.overdueAt === null ? query.statuses : query.statuses.filter((status) => AWAITING_CONTACT.includes(status));
}

/** Whether a query asks for every status ("all"): then it puts no condition on status at all. */
function everyStatus(statuses: readonly RouteStatus[]): boolean {
  return ROUTE_STATUSES.every((status) => statuses.includes(status));
}

/**
 * The routes an inbox query matches: ONE organisation's, so nothing else can be listed by mistake. Status and risk
 * are in both inbox indexes, so only the overdue filter reads the routes themselves (those awaiting first contact).
 */
function matchingRoutes(executor: Executor, query: Omit<InboxQuery, 'limit' | 'offset'>) {
  const statuses = matchableStatuses(query);
  return executor
    .selectFrom('referral_routes as route')
    .where('route.organisation_id', '=', query.organisationId)
    .$if(!everyStatus(statuses), (qb) => qb.where('route.status', 'in', [...statuses]))
    .$if(query.risk !== null, (qb) => qb.where('route.risk_level', '=', query.risk as RiskLevel))
    .$if(query.overdueAt !== null, (qb) => qb.where('route.first_contact_at', 'is', null).where('route.first_contact_due_at', '<', query.overdueAt ?? ''));
}

/**
 * A page of the inbox, newest first, at any depth. The page's route ids are found first, from an inbox index alone
 * (the rows before them are stepped over in the index, never read); then only those routes and their referrals are
 * read. `total` is inboxCount of the same query: the index is read only as far as the page's last row, and a page
 * past the middle of "all" or of one status (rows spread through the whole history) is read from the oldest end,
 * so the last page costs what the first does. Open and overdue routes are recent, so those are read from the newest.
 */
export async function inboxRows(executor: Executor, query: InboxQuery & { readonly total: number }) {
  const statuses = matchableStatuses(query);
  const remaining = query.total - query.offset;
  if (remaining <= 0 || statuses.length === 0) return [];
  const spreadThroughHistory = query.overdueAt === null && (statuses.length === 1 || everyStatus(statuses));
  const fromOldest = spreadThroughHistory && remaining - query.limit < query.offset;
  const direction = fromOldest ? 'asc' : 'desc';
  const page = matchingRoutes(executor, query)
    .select('route.id')
    .orderBy('route.created_at', direction)
    .orderBy('route.id', direction)
    .limit(Math.min(query.limit, remaining))
    .offset(fromOldest ? Math.max(0, remaining - query.limit) : query.offset)
    .as('page');
  return executor
    .selectFrom(page)
    .innerJoin('referral_routes as route', 'route.id', 'page.id')
    .innerJoin('referrals as referral', 'referral.id', 'route.referral_id')
    .select([
      'route.id as routeId',
      'route.kind',
      'route.status',
      'route.created_at as receivedAt',
      'route.first_contact_due_at as dueAt',
      'route.first_contact_at as firstContactAt',
      'route.outcome',
      'referral.id as referralId',
      'referral.reference',
      'referral.risk_level as riskLevel',
      'referral.district',
      'referral.consent',
    ])
    .orderBy('route.created_at', 'desc')
    .orderBy('route.id', 'desc')
    .execute();
}

/**
 * How many routes match. Without the overdue filter, from the counts the database keeps per organisation, status
 * and risk level (a handful of rows however long the history); overdue ones (awaiting first contact, so few) are
 * counted from the by-status index.
 */
export async function inboxCount(executor: Executor, query: Omit<InboxQuery, 'limit' | 'offset'>): Promise<number> {
  const statuses = matchableStatuses(query);
  if (statuses.length === 0) return 0;
  if (query.overdueAt !== null) {
    const row = await matchingRoutes(executor, query)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
  const row = await executor
    .selectFrom('referral_inbox_counts')
    .select((eb) => eb.fn.sum<string | number | null>('routes').as('n'))
    .where('organisation_id', '=', query.organisationId)
    .$if(!everyStatus(statuses), (qb) => qb.where('status', 'in', [...statuses]))
    .$if(query.risk !== null, (qb) => qb.where('risk_level', '=', query.risk as RiskLevel))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type RouteRow = NonNullable<Awaited<ReturnType<typeof routeOfOrganisation>>>;

/** A route only as seen by the organisation it was sent to. */
export function routeOfOrganisation(executor: Executor, routeId: string, organisationId: string) {
  return executor.selectFrom('referral_routes').selectAll().where('id', '=', routeId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export function referralIdOfRoute(executor: Executor, routeId: string) {
  return executor.selectFrom('referral_routes').select(['referral_id']).where('id', '=', routeId).executeTakeFirst();
}

export function routesOfReferral(executor: Executor, referralId: string) {
  return executor
    .selectFrom('referral_routes')
    .innerJoin('organisations', 'organisations.id', 'referral_routes.organisation_id')
    .select(['referral_routes.id', 'referral_routes.kind', 'referral_routes.status', 'referral_routes.position', 'organisations.slug as organisationSlug', 'organisations.id as organisationId'])
    .where('referral_routes.referral_id', '=', referralId)
    .orderBy('referral_routes.position')
    .execute();
}

/** Optimistic update: changes nothing (and returns 0 rows) if someone else changed the route since `version`. */
export function updateRoute(executor: Executor, routeId: string, version: number, changes: Updateable<ReferralRouteTable>) {
  return executor
    .updateTable('referral_routes')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', routeId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertRoute(executor: Executor, row: Insertable<ReferralRouteTable>): Promise<void> {
  await executor.insertInto('referral_routes').values(row).execute();
}

export async function insertEvent(executor: Executor, row: Insertable<ReferralEventTable>): Promise<void> {
  await executor.insertInto('referral_events').values(row).execute();
}

export function eventsOfRoute(executor: Executor, routeId: string) {
  return executor.selectFrom('referral_events').selectAll().where('route_id', '=', routeId).orderBy('at').orderBy('id').execute();
}

export async function closeReferralWhenNoOpenRoutes(executor: Executor, referralId: string, now: string): Promise<boolean> {
  const open = await executor.selectFrom('referral_routes').select('id').where('referral_id', '=', referralId).where('status', 'in', [...OPEN]).limit(1).executeTakeFirst();
  if (open) return false;
  const referral = await executor.selectFrom('referrals').select(['version', 'status']).where('id', '=', referralId).executeTakeFirst();
  if (referral?.status !== 'submitted') return false;
  await executor.updateTable('referrals').set({ status: 'closed', updated_at: now, version: referral.version + 1 }).where('id', '=', referralId).where('version', '=', referral.version).execute();
  return true;
}

/** Overdue routes not chased since `chasedBefore` (the (status, first_contact_due_at) index answers this). */
export function overdueToChase(executor: Executor, now: string, chasedBefore: string, limit: number) {
  return executor
    .selectFrom('referral_routes')
    .select(['id', 'referral_id', 'organisation_id', 'first_contact_due_at', 'last_chased_at'])
    .where('status', 'in', [...AWAITING_CONTACT])
    .where('first_contact_due_at', '<', now)
    .where('first_contact_at', 'is', null)
    .where((eb) => eb.or([eb('last_chased_at', 'is', null), eb('last_chased_at', '<', chasedBefore)]))
    .orderBy('first_contact_due_at')
    .limit(limit)
    .execute();
}

/** Marks a route chased unless another instance just did (the same condition guards the update). */
export async function markChased(executor: Executor, routeId: string, now: string, chasedBefore: string): Promise<boolean> {
  const result = await executor
    .updateTable('referral_routes')
    .set({ last_chased_at: now })
    .where('id', '=', routeId)
    .where('first_contact_at', 'is', null)
    .where((eb) => eb.or([eb('last_chased_at', 'is', null), eb('last_chased_at', '<', chasedBefore)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Active people in these organisations, with their roles, for chase emails. */
/** Organisations that can still receive referrals (inactive ones are passed over when re-routing). */
export function activeOrganisationsBySlug(executor: Executor, slugs: readonly string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return executor.selectFrom('organisations').select(['id', 'slug', 'name']).where('slug', 'in', [...slugs]).where('active', '=', 1).execute();
}

export function organisationName(executor: Executor, id: string) {
  return executor.selectFrom('organisations').select(['name']).where('id', '=', id).executeTakeFirst();
}

export function referralForRerouting(executor: Executor, referralId: string) {
  return executor.selectFrom('referrals').select(['id', 'district', 'risk_level', 'rule_set_id']).where('id', '=', referralId).executeTakeFirst();
}

export async function maxRoutePosition(executor: Executor, referralId: string): Promise<number> {
  const row = await executor.selectFrom('referral_routes').select((eb) => eb.fn.max('position').as('top')).where('referral_id', '=', referralId).executeTakeFirst();
  return row?.top ?? 0;
}

/** When each attempt to contact the person on this route was made (as the worker recorded it). */
export async function contactAttemptTimes(executor: Executor, routeId: string): Promise<string[]> {
  const rows = await executor.selectFrom('referral_events').select('details').where('route_id', '=', routeId).where('kind', '=', 'contact_attempt').execute();
  return rows.flatMap((row) => {
    const { contactAt } = JSON.parse(row.details) as { contactAt?: unknown };
    return typeof contactAt === 'string' ? [contactAt] : [];
  });
}
