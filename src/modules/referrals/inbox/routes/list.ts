import type { ConsentStatus } from '../../tables.js';
import { pagination } from '../../../../platform/views/pagination.js';
import type { FastifyInstance } from 'fastify';
import { originOfRequest } from '../../../../platform/http/forms.js';
import type { Services } from '../../../../services.js';
import { RISK_LEVEL_LABELS, ROUTE_KIND_LABELS } from '../../options.js';
import { RISK_LEVELS } from '../../rules/schema.js';
import { ROUTE_STATUS_LABELS, ROUTE_STATUS_TAGS } from '../options.js';
import { inboxFilters, INBOX_STATUS_FILTERS, type InboxFilters } from '../schemas.js';
import { INBOX_PAGE_SIZE } from '../service.js';
import { actorOf, INBOX, noticeOf, queryOf, RECEIVE } from './common.js';

const STATUS_FILTER_LABELS: Record<(typeof INBOX_STATUS_FILTERS)[number], string> = {
  open: 'Open',
  new: 'New',
  accepted: 'Accepted',
  in_contact: 'In contact',
  closed: 'Closed',
  declined: 'Declined by your organisation',
  all: 'All',
};

export const INBOX_NOTICES = {
  accepted: 'Referral accepted. Log each contact attempt on the referral’s page.',
  declined: 'Referral declined. It has been passed on under the routing rules, and the referrer can see who has it now.',
  'declined-kept': 'Referral declined. No other organisation could take it under the routing rules; the referrer can see this.',
  contact: 'Contact attempt logged.',
  outcome: 'Outcome recorded.',
};

/** Query string for a filter set, for pagination links: filters survive paging. */
function filterQuery(filters: InboxFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.status !== 'open') params.set('status', filters.status);
  if (filters.risk) params.set('risk', filters.risk);
  if (filters.overdue) params.set('overdue', 'yes');
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `${INBOX}?${text}` : INBOX;
}

/** Whether they agreed to the referral, at a glance: a worker plans the first approach by it. */
const CONSENT_IN_A_WORD: Record<ConsentStatus, string> = { given: 'Given', not_given: 'Not given', not_asked: 'Not asked', not_recorded: 'Not recorded' };

export function registerInboxList(app: FastifyInstance, services: Services): void {
  app.get(INBOX, RECEIVE, async (request, reply) => {
    const actor = actorOf(request);
    const filters = inboxFilters.parse(queryOf(request));
    const [inbox, areas, organisation] = await Promise.all([services.referralInbox.list(actor, filters, originOfRequest(request)), services.reference.listAreas(), services.reference.getOrganisation(actor.organisationId)]);
    const districtNames = new Map(areas.map((area) => [area.code, area.name]));
    const pages = Math.max(1, Math.ceil(inbox.total / INBOX_PAGE_SIZE));
    // The page shown: the service turns a page past the end into the last page.
    const shown = { ...filters, page: inbox.page };
    return reply.render('referrals-inbox/list.njk', {
      organisationName: organisation?.name ?? '',
      notice: noticeOf(request, INBOX_NOTICES),
      filters: shown,
      statusItems: INBOX_STATUS_FILTERS.map((value) => ({ value, text: STATUS_FILTER_LABELS[value], selected: value === filters.status })),
      riskItems: [{ value: '', text: 'Any risk level' }, ...RISK_LEVELS.map((value) => ({ value, text: RISK_LEVEL_LABELS[value] ?? value, selected: value === filters.risk }))],
      total: inbox.total,
      overdueCount: inbox.overdueCount,
      overdueHref: filterQuery({ status: 'open', risk: null, overdue: true, page: 1 }, 1),
      rows: inbox.rows.map((row) => ({
        ...row,
        href: row.status === 'declined' ? null : `${INBOX}/${row.routeId}`,
        riskLabel: RISK_LEVEL_LABELS[row.riskLevel] ?? row.riskLevel,
        kindLabel: ROUTE_KIND_LABELS[row.kind] ?? row.kind,
        districtName: districtNames.get(row.district) ?? row.district,
        consentLabel: CONSENT_IN_A_WORD[row.consent],
        statusLabel: ROUTE_STATUS_LABELS[row.status],
        statusTag: ROUTE_STATUS_TAGS[row.status],
      })),
      pagination: pagination(shown.page, pages, (page) => filterQuery(shown, page)),
      firstShown: inbox.total === 0 ? 0 : (shown.page - 1) * INBOX_PAGE_SIZE + 1,
      lastShown: Math.min(inbox.total, shown.page * INBOX_PAGE_SIZE),
    });
  });
}
