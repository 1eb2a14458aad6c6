import { pagination } from '../../platform/views/pagination.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AUDIT_ACTIONS } from '../../platform/audit/catalogue.js';
import { originOfRequest } from '../../platform/http/forms.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { formErrorsFrom, singleError } from '../../platform/views/form-errors.js';
import type { Services } from '../../services.js';
import { auditCsv } from './csv.js';
import { auditFilterQuery, OUTCOMES, type AuditFilterQuery } from './schemas.js';

const SEARCH = '/app/audit';
const OUTCOME_NAMES: Record<(typeof OUTCOMES)[number], string> = { success: 'Succeeded', failure: 'Failed', denied: 'Refused' };

function rawQuery(request: FastifyRequest): Record<string, string> {
  const query = request.query as Record<string, unknown> | undefined;
  return Object.fromEntries(Object.entries(query ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The filter as typed, for links (pages, export) that must repeat exactly the same search. */
function filterParams(query: AuditFilterQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'action', 'actor', 'organisation', 'recordType', 'recordId', 'outcome'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return params;
}

function withParams(path: string, params: URLSearchParams, extra: Record<string, string> = {}): string {
  const all = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) all.set(key, value);
  const text = all.toString();
  return text ? `${path}?${text}` : path;
}

export function registerAuditRoutes(app: FastifyInstance, services: Services): void {
  const { auditSearch, reference } = services;
  const access = { config: { access: 'audit.search' as const } };

  async function choices(values: Record<string, string>) {
    const organisations = await reference.listOrganisations();
    return {
      actionChoices: [
        { value: '', text: 'Any action' },
        ...Object.entries(AUDIT_ACTIONS).map(([code, description]) => ({ value: code, text: `${description} (${code})`, selected: code === values['action'] })),
      ],
      organisationChoices: [{ value: '', text: 'Any organisation' }, ...organisations.map((organisation) => ({ value: organisation.id, text: organisation.name, selected: organisation.id === values['organisation'] }))],
      outcomeChoices: [{ value: '', text: 'Any outcome' }, ...OUTCOMES.map((outcome) => ({ value: outcome, text: OUTCOME_NAMES[outcome], selected: outcome === values['outcome'] }))],
    };
  }

  app.get(SEARCH, access, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new UserFacingError(401, 'Sign in to continue.');
    const values = rawQuery(request);
    const parsed = auditFilterQuery.safeParse(values);
    if (!parsed.success) return reply.code(400).render('audit/search.njk', { values, errors: formErrorsFrom(parsed.error), ...(await choices(values)) });
    const resolved = await auditSearch.resolveFilter(parsed.data);
    if (!resolved.ok) return reply.code(400).render('audit/search.njk', { values, errors: singleError(resolved.field, resolved.message), ...(await choices(values)) });
    const result = await auditSearch.search(actor, resolved.filter, parsed.data.page, originOfRequest(request));
    const params = filterParams(parsed.data);
    const pageLink = (page: number) => withParams(SEARCH, params, { page: String(page) });
    return reply.render('audit/search.njk', {
      values,
      ...(await choices(values)),
      result,
      outcomeNames: OUTCOME_NAMES,
      filtered: params.toString() !== '',
      exportHref: withParams(`${SEARCH}/export.csv`, params),
      pagination: pagination(result.page, result.pageCount, pageLink),
    });
  });

  app.get(`${SEARCH}/export.csv`, access, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new UserFacingError(401, 'Sign in to continue.');
    const parsed = auditFilterQuery.safeParse(rawQuery(request));
    if (!parsed.success) throw new UserFacingError(400, 'The search in the export link is not valid. Go back to the audit search, correct it and export again.');
    const resolved = await auditSearch.resolveFilter(parsed.data);
    if (!resolved.ok) throw new UserFacingError(400, `${resolved.message}. Go back to the audit search, correct it and export again.`);
    const { events } = await auditSearch.exportEvents(actor, resolved.filter, originOfRequest(request));
    const stamp = services.clock().toISOString().slice(0, 19).replaceAll(':', '-');
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="audit-events-${stamp}.csv"`)
      .send(
        auditCsv(events, (error) => {
          request.log.error({ err: error }, 'audit export failed part-way');
        }),
      );
  });

  app.get(`${SEARCH}/integrity`, access, async (_request, reply) => {
    const verification = await auditSearch.verify();
    return reply.render('audit/integrity.njk', { verification });
  });
}
