import type { Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEventTable } from '../../platform/audit/tables.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { RECORD_ID } from '../../platform/db/ids.js';
import type { AuditAction } from '../../platform/audit/catalogue.js';

export type AuditEventRow = Selectable<AuditEventTable>;

/** What the search narrows the trail to; times are UTC ISO instants, `before` exclusive. */
export interface AuditFilter {
  readonly since?: string | undefined;
  readonly before?: string | undefined;
  readonly action?: string | undefined;
  readonly actorUserId?: string | undefined;
  readonly organisationId?: string | undefined;
  readonly recordType?: string | undefined;
  readonly recordId?: string | undefined;
  readonly outcome?: AuditEventTable['outcome'] | undefined;
  /** The newest event a set of pages reads: events recorded while someone pages through do not shift the pages. */
  readonly upToSeq?: number | undefined;
}

/**
 * A record is also read when a list shows it, or when routing a referral reads earlier ones about the same people:
 * those events name every record read in their details (a page of the inbox, someone's own referrals, the earlier
 * referrals a new one was weighed against), so a search for one record finds them too. Only these are searched so
 * (an audit search that names the id is not a read of it), and only an id's own characters go into the pattern.
 */
const READS_NAMED_IN_DETAILS: readonly AuditAction[] = ['REFERRAL_INBOX_VIEWED', 'REFERRAL_LIST_VIEWED', 'REFERRAL_DRAFT_LIST_VIEWED', 'REFERRAL_ROUTING_PREVIEWED', 'REFERRAL_EARLIER_INCIDENTS_COUNTED'];

function filtered<O>(query: SelectQueryBuilder<Database, 'audit_events', O>, filter: AuditFilter) {
  let narrowed = query;
  if (filter.since) narrowed = narrowed.where('at', '>=', filter.since);
  if (filter.before) narrowed = narrowed.where('at', '<', filter.before);
  if (filter.action) narrowed = narrowed.where('action', '=', filter.action);
  if (filter.actorUserId) narrowed = narrowed.where('actor_user_id', '=', filter.actorUserId);
  if (filter.organisationId) narrowed = narrowed.where('actor_organisation_id', '=', filter.organisationId);
  if (filter.recordType) narrowed = narrowed.where('record_type', '=', filter.recordType);
  const recordId = filter.recordId;
  if (recordId) {
    const id = recordId.toLowerCase();
    narrowed = narrowed.where((eb) =>
      RECORD_ID.test(id) ? eb.or([eb('record_id', '=', id), eb.and([eb('action', 'in', READS_NAMED_IN_DETAILS), eb('details', 'like', `%${id}%`)])]) : eb('record_id', '=', recordId),
    );
  }
  if (filter.outcome) narrowed = narrowed.where('outcome', '=', filter.outcome);
  if (filter.upToSeq !== undefined) narrowed = narrowed.where('seq', '<=', filter.upToSeq);
  return narrowed;
}

export async function countEvents(executor: Executor, filter: AuditFilter): Promise<number> {
  const row = await filtered(executor.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('count')), filter).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** One page, newest first. */
export function findEvents(executor: Executor, filter: AuditFilter, limit: number, offset: number): Promise<AuditEventRow[]> {
  return filtered(executor.selectFrom('audit_events').selectAll(), filter).orderBy('seq', 'desc').limit(limit).offset(offset).execute();
}

/** The next batch for an export, newest first, strictly older than `belowSeq`: keyset paging stays fast at any depth. */
export function eventsBelow(executor: Executor, filter: AuditFilter, belowSeq: number, limit: number): Promise<AuditEventRow[]> {
  return filtered(executor.selectFrom('audit_events').selectAll(), filter).where('seq', '<', belowSeq).orderBy('seq', 'desc').limit(limit).execute();
}

export async function latestSeq(executor: Executor): Promise<number> {
  const row = await executor.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return row?.seq ?? 0;
}
