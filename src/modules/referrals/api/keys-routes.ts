import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can, type Actor } from '../../../platform/access/policy.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import type { Services } from '../../../services.js';
import { actedBy } from '../../../platform/audit/service.js';

const MANAGE = { config: { access: 'apikeys.manage' as const } };

const newKeySchema = z.object({
  label: z.string().trim().min(1, 'Enter a name for the key, such as the system that will use it').max(100, 'The name must be 100 characters or fewer'),
  organisationId: z.string().optional(),
});

/**
 * API keys for the partner referral API. Organisation administrators manage their own organisation's keys;
 * system administrators any organisation's. A new key is shown once, on the page that creates it.
 */
export function registerApiKeyPages(app: FastifyInstance, services: Services): void {
  function actorOf(request: FastifyRequest): Actor {
    if (!request.actor) throw new Error('API key page reached without a signed-in actor');
    return request.actor;
  }
  const everyOrganisation = (actor: Actor) => can(actor, 'apikeys.manage', { kind: 'organisation', organisationId: '' });
  const by = (request: FastifyRequest) => ({ userId: actorOf(request).userId, organisationId: actorOf(request).organisationId, ...originOfRequest(request) });

  async function organisationsFor(actor: Actor) {
    const all = await services.reference.listOrganisations();
    return everyOrganisation(actor) ? all.filter((organisation) => organisation.active === 1) : all.filter((organisation) => organisation.id === actor.organisationId);
  }

  async function renderNew(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: Parameters<FastifyReply['renderForm']>[1]) {
    const actor = actorOf(request);
    const organisations = await organisationsFor(actor);
    const view = {
      values,
      chooseOrganisation: everyOrganisation(actor),
      organisationItems: [{ value: '', text: 'Choose an organisation' }, ...organisations.map((organisation) => ({ value: organisation.id, text: organisation.name, selected: organisation.id === values['organisationId'] }))],
      organisationName: organisations.find((organisation) => organisation.id === actor.organisationId)?.name,
      backLink: '/app/api-keys',
    };
    return errors ? reply.renderForm('api-keys/new.njk', errors, view) : reply.render('api-keys/new.njk', view);
  }

  app.get('/app/api-keys', MANAGE, async (request, reply) => {
    const actor = actorOf(request);
    const keys = await services.apiKeys.list(everyOrganisation(actor) ? null : actor.organisationId);
    await services.audit.record({ action: 'API_KEYS_VIEWED', ...actedBy(actor, originOfRequest(request)), details: { count: keys.length } });
    const query = request.query as Record<string, unknown>;
    return reply.render('api-keys/list.njk', { keys, showOrganisation: everyOrganisation(actor), revoked: query['revoked'] === '1' });
  });

  app.get('/app/api-keys/new', MANAGE, (request, reply) => renderNew(request, reply, {}));

  app.post('/app/api-keys/new', MANAGE, async (request, reply) => {
    const actor = actorOf(request);
    const form = parseForm(newKeySchema, request);
    if (!form.ok) return renderNew(request, reply, form.values, form.errors);
    const organisationId = everyOrganisation(actor) ? (form.data.organisationId ?? '') : actor.organisationId;
    const organisation = (await organisationsFor(actor)).find((candidate) => candidate.id === organisationId);
    if (!organisation) {
      return renderNew(request, reply, { label: form.data.label }, { summary: [{ text: 'Choose the organisation the key is for', href: '#organisationId' }], byField: { organisationId: { text: 'Choose the organisation the key is for' } } });
    }
    const issued = await services.apiKeys.issue(organisation.id, form.data.label, by(request));
    // The key is on this page only: never in a URL, a log or a later page.
    void reply.header('cache-control', 'no-store');
    return reply.render('api-keys/created.njk', { issued, organisationName: organisation.name, label: form.data.label });
  });

  app.get('/app/api-keys/:id/revoke', MANAGE, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id: string };
    const key = await services.apiKeys.get(id);
    if (!key || key.revokedAt || !can(actor, 'apikeys.manage', { kind: 'organisation', organisationId: key.organisationId })) return services.apiKeys.refuse(id, by(request));
    return reply.render('api-keys/revoke.njk', { key, backLink: '/app/api-keys' });
  });

  app.post('/app/api-keys/:id/revoke', MANAGE, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id: string };
    await services.apiKeys.revoke(id, by(request), everyOrganisation(actor) ? null : actor.organisationId);
    return reply.redirect('/app/api-keys?revoked=1', 303);
  });
}
