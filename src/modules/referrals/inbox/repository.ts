import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { ReferralEventTable, ReferralRouteTable, RiskLevel, RouteStatus } from '../tables.js';

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

/** Every inbox query starts here: routes of ONE organisation, so nothing else can be listed by mistake. */
function inboxBase(executor: Executor, query: Omit<InboxQuery, 'limit' | 'offset' | 'statuses'>, statuses: readonly RouteStatus[]) {
  return executor
    .selectFrom('referral_routes as route')
    .innerJoin('referrals as referral', 'referral.id', 'route.referral_id')
    .where('route.organisation_id', '=', query.organisationId)
    .where('route.status', 'in', [...statuses])
    .$if(query.risk !== null, (qb) => qb.where('referral.risk_level', '=', query.risk as RiskLevel))
    .$if(query.overdueAt !== null, (qb) =>
      qb
        .where('route.status', 'in', [...AWAITING_CONTACT])
        .where('route.first_contact_at', 'is', null)
        .where('route.first_contact_due_at', '<', query.overdueAt ?? ''),
    );
}

/**
 * A page of the inbox, newest first. One query per status, each read in order straight from the
 * (organisation, status, received) index and stopped at the page's end, then merged: no sort of an
 * organisation's whole history, however long it grows.
 */
export async function inboxRows(executor: Executor, query: InboxQuery) {
  const wanted = query.offset + query.limit;
  const perStatus = await Promise.all(
    query.statuses.map((status) =>
      inboxBase(executor, query, [status])
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
        ])
        .orderBy('route.created_at', 'desc')
        .orderBy('route.id', 'desc')
        .limit(wanted)
        .execute(),
    ),
  );
  return perStatus
    .flat()
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.routeId.localeCompare(a.routeId))
    .slice(query.offset, wanted);
}

/** How many routes match; without a risk filter the routes' own index answers it, without touching referrals. */
export async function inboxCount(executor: Executor, query: Omit<InboxQuery, 'limit' | 'offset'>): Promise<number> {
  const statuses = query.overdueAt === null ? query.statuses : query.statuses.filter((status) => AWAITING_CONTACT.includes(status));
  if (statuses.length === 0) return 0;
  const row =
    query.risk === null
      ? await executor
          .selectFrom('referral_routes as route')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('route.organisation_id', '=', query.organisationId)
          .where('route.status', 'in', [...statuses])
          .$if(query.overdueAt !== null, (qb) => qb.where('route.first_contact_at', 'is', null).where('route.first_contact_due_at', '<', query.overdueAt ?? ''))
          .executeTakeFirst()
      : await inboxBase(executor, query, query.statuses).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
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
export function activeUsersOf(executor: Executor, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return Promise.resolve([]);
  return executor.selectFrom('users').select(['id', 'organisation_id', 'roles', 'email_enc']).where('organisation_id', 'in', [...organisationIds]).where('status', '=', 'active').execute();
}

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

export async function contactAttemptCount(executor: Executor, routeId: string): Promise<number> {
  const row = await executor.selectFrom('referral_events').select((eb) => eb.fn.countAll<string | number>().as('n')).where('route_id', '=', routeId).where('kind', '=', 'contact_attempt').executeTakeFirst();
  return Number(row?.n ?? 0);
}
