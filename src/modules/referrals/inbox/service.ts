import type { Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outbox } from '../../../platform/notify/outbox.js';
import type { ReferenceService } from '../../admin/reference-service.js';
import type { RoutingRules } from '../rules/service.js';
import { requireReceivedRoute } from './access.js';
import { createInboxActions } from './actions.js';
import { createOverdueChase } from './chase.js';
import { AWAITING_CONTACT, inboxCount, inboxRows, type InboxQuery } from './repository.js';
import type { InboxFilters, InboxStatusFilter } from './schemas.js';
import { actionsAllowed, loadReceivedReferral } from './view-model.js';
import type { RouteStatus } from '../tables.js';

export interface ReferralInboxDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly outbox: Outbox;
  readonly rules: RoutingRules;
  readonly reference: ReferenceService;
  readonly userName: (userId: string) => Promise<string | undefined>;
  readonly baseUrl: string;
  readonly clock: () => Date;
}

export const INBOX_PAGE_SIZE = 50;

const STATUSES: Record<InboxStatusFilter, readonly RouteStatus[]> = {
  open: ['new', 'accepted', 'in_contact'],
  new: ['new'],
  accepted: ['accepted'],
  in_contact: ['in_contact'],
  closed: ['closed'],
  declined: ['declined'],
  all: ['new', 'accepted', 'in_contact', 'closed', 'declined', 'withdrawn'],
};

/**
 * The receiving side of the referral pathway: each organisation's inbox of the routes sent to it, the referral
 * as that organisation needs it to act, and what it does (accept, decline and pass on, contact, outcome).
 * Every list and every referral shown is audited with the referral ids it showed.
 */
export function createReferralInbox(deps: ReferralInboxDeps) {
  const { db, audit, clock } = deps;

  return {
    async list(actor: Actor, filters: InboxFilters, origin: RequestOrigin) {
      const now = clock().toISOString();
      const query: Omit<InboxQuery, 'limit' | 'offset'> = { organisationId: actor.organisationId, statuses: STATUSES[filters.status], risk: filters.risk, overdueAt: filters.overdue ? now : null };
      // Counted first: the count tells the page query which end of the list is nearer, and a page past the end
      // (an old link, a shorter list after filtering) shows the last page rather than nothing.
      const [total, overdueCount] = await Promise.all([inboxCount(db.kysely, query), inboxCount(db.kysely, { organisationId: actor.organisationId, statuses: AWAITING_CONTACT, risk: null, overdueAt: now })]);
      const page = Math.min(filters.page, Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)));
      const rows = await inboxRows(db.kysely, { ...query, total, limit: INBOX_PAGE_SIZE, offset: (page - 1) * INBOX_PAGE_SIZE });
      await audit.record({
        action: 'REFERRAL_INBOX_VIEWED',
        ...actedBy(actor),
        recordType: 'referral',
        details: { status: filters.status, risk: filters.risk, overdue: filters.overdue, page, count: rows.length, referralIds: rows.map((row) => row.referralId).join(',') },
        ...origin,
      });
      return {
        total,
        page,
        overdueCount,
        rows: rows.map((row) => ({ ...row, overdue: row.firstContactAt === null && AWAITING_CONTACT.includes(row.status) && row.dueAt !== null && row.dueAt < now })),
      };
    },

    /** For the home page: how many routes are new, and how many are past their first-contact target. Counts only. */
    async waitingCounts(actor: Actor): Promise<{ readonly fresh: number; readonly overdue: number }> {
      const organisationId = actor.organisationId;
      const [fresh, overdue] = await Promise.all([
        inboxCount(db.kysely, { organisationId, statuses: STATUSES.new, risk: null, overdueAt: null }),
        inboxCount(db.kysely, { organisationId, statuses: AWAITING_CONTACT, risk: null, overdueAt: clock().toISOString() }),
      ]);
      return { fresh, overdue };
    },

    /** The referral as the receiving organisation needs it to act: decrypted, after the need-to-know check. */
    async view(actor: Actor, routeId: string, origin: RequestOrigin) {
      const route = await requireReceivedRoute(db.kysely, audit, actor, routeId, origin);
      const received = await loadReceivedReferral(deps, route);
      await audit.record({ action: 'REFERRAL_RECEIVED_VIEWED', ...actedBy(actor, origin), recordType: 'referral', recordId: route.referral_id, details: { routeId } });
      return received;
    },

    /** What an action form needs before anything is decrypted: the need-to-know check, state and version. */
    async routeForAction(actor: Actor, routeId: string, origin: RequestOrigin) {
      const route = await requireReceivedRoute(db.kysely, audit, actor, routeId, origin);
      const referral = await db.kysely.selectFrom('referrals').select(['submitted_at']).where('id', '=', route.referral_id).executeTakeFirstOrThrow();
      return { id: route.id, status: route.status, version: route.version, submittedAt: referral.submitted_at, can: actionsAllowed(route.status) };
    },

    ...createInboxActions(deps),
    ...createOverdueChase(deps),
  };
}

export type ReferralInbox = ReturnType<typeof createReferralInbox>;
