import { pagination } from '../../platform/views/pagination.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AUDIT_ACTIONS } from '../../platform/audit/catalogue.js';
import { unsealedNote } from '../../platform/audit/service.js';
import { originOfRequest } from '../../platform/http/forms.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { formErrorsFrom, singleError, type FormErrors } from '../../platform/views/form-errors.js';
import type { Services } from '../../services.js';
import { auditCsv } from './csv.js';
import { auditFilterQuery, OUTCOMES, type AuditFilterQuery } from './schemas.js';
import { createSearchSeal, type SearchSeal } from '../../platform/http/sealed-search.js';

const SEARCH = '/app/audit';
const OUTCOME_NAMES: Record<(typeof OUTCOMES)[number], string> = { success: 'Succeeded', failure: 'Failed', denied: 'Refused' };

/** The search as sent: a box sent twice (`action=A&action=B`) stays a list, for the check to refuse, not to be dropped. */
function searchFields(fields: unknown): Record<string, unknown> {
  const record = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== '_csrf'));
}

/** What the boxes show again: text only. */
function textOf(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The filter as typed, for links (pages, export) that must repeat exactly the same search; a person's email sealed. */
function filterParams(query: AuditFilterQuery, seal: SearchSeal): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'action', 'actor', 'organisation', 'recordType', 'recordId', 'outcome'] as const) {
    const value = query[key];
    if (value) params.set(key, key === 'actor' ? seal.seal(value) : value);
  }
  return params;
}

const TAMPERED_ACTOR = 'This search address has been changed or has expired. Type the email address again and search';

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

  const seal = createSearchSeal(services.crypto);

  /** The search an address asks for, with the sealed email opened; an email that will not open is the reader's error. */
  async function readSearch(fields: Record<string, unknown>) {
    const actorSent = fields['actor'];
    const actorText = typeof actorSent === 'string' && actorSent !== '' ? seal.open(actorSent) : actorSent;
    const values = textOf({ ...fields, actor: actorText ?? '' });
    if (actorText === undefined && actorSent !== undefined) return { ok: false as const, values, errors: singleError('actor', TAMPERED_ACTOR) };
    const parsed = auditFilterQuery.safeParse({ ...fields, actor: actorText });
    if (!parsed.success) return { ok: false as const, values, errors: formErrorsFrom(parsed.error) };
    // A referral's reference, as people read it, finds the events about that referral.
    const recordId = parsed.data.recordId ? ((await app.recordIdOf(parsed.data.recordId)) ?? parsed.data.recordId) : parsed.data.recordId;
    const resolved = await auditSearch.resolveFilter({ ...parsed.data, recordId });
    if (!resolved.ok) return { ok: false as const, values, errors: singleError(resolved.field, resolved.message) };
    return { ok: true as const, values, query: parsed.data, filter: resolved.filter };
  }

  const refuseSearch = async (reply: FastifyReply, refused: { values: Record<string, string>; errors: FormErrors }) =>
    reply.code(400).render('audit/search.njk', { values: refused.values, errors: refused.errors, ...(await choices(refused.values)) });

  app.get(SEARCH, access, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new UserFacingError(401, 'Sign in to continue.');
    const search = await readSearch(searchFields(request.query));
    if (!search.ok) return refuseSearch(reply, search);
    const result = await auditSearch.search(actor, search.filter, search.query.page, search.query.upTo, originOfRequest(request));
    const params = filterParams(search.query, seal);
    const pageLink = (page: number) => withParams(SEARCH, params, { page: String(page), upTo: String(result.upToSeq) });
    return reply.render('audit/search.njk', {
      values: search.values,
      ...(await choices(search.values)),
      result,
      outcomeNames: OUTCOME_NAMES,
      filtered: params.toString() !== '',
      exportHref: withParams(`${SEARCH}/export.csv`, params, { upTo: String(result.upToSeq) }),
      pagination: pagination(result.page, result.pageCount, pageLink),
    });
  });

  // The form posts, so an email typed into it never appears in an address; the results' address carries it sealed.
  app.post(SEARCH, access, async (request, reply) => {
    const search = await readSearch(searchFields(request.body));
    if (!search.ok) return refuseSearch(reply, search);
    return reply.redirect(withParams(SEARCH, filterParams(search.query, seal)), 303);
  });

  app.get(`${SEARCH}/export.csv`, access, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new UserFacingError(401, 'Sign in to continue.');
    const search = await readSearch(searchFields(request.query));
    if (!search.ok) {
      const [first] = search.errors.summary;
      throw new UserFacingError(400, `${first?.text ?? 'The search in the export link is not valid'}. Go back to the audit search, correct it and export again.`);
    }
    const { events } = await auditSearch.exportEvents(actor, search.filter, search.query.upTo, originOfRequest(request));
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
    return reply.render('audit/integrity.njk', { verification, unsealedNote: unsealedNote(verification) });
  });
}
