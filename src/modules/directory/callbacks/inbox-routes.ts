import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import type { Services } from '../../../services.js';
import { actorOf, idParam } from '../manage/common.js';
import { callbackStatusForm } from '../manage/schemas.js';
import { directoryTranslator } from '../locales.js';

const receive = { config: { access: 'callbacks.receive' as const } };
const STATUS_FILTERS = ['open', 'new', 'called', 'closed'] as const;

/** Each receiving service's call-back inbox: only its own organisation's requests, every view audited. */
export function registerCallbackInbox(app: FastifyInstance, services: Services): void {
  const { directory } = services;
  const t = directoryTranslator.forLanguage('en');

  app.get('/app/call-backs', receive, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const status = STATUS_FILTERS.find((value) => value === query['status']) ?? 'open';
    const rows = await directory.callbacks.inbox(actorOf(request), status, originOfRequest(request));
    return reply.render('directory/manage/callbacks.njk', { title: 'Call-back requests', rows, status, updated: query['notice'] === 'updated' });
  });

  /** The request and its status form; with the form's problems when an update was refused. */
  async function showCallback(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) {
    const callback = await directory.callbacks.view(actorOf(request), idParam(request), originOfRequest(request));
    const handler = callback.handledBy ? await services.users.viewer(callback.handledBy) : undefined;
    const context = {
      title: `Call-back request to ${callback.serviceName}`,
      callback,
      handlerName: handler?.name,
      safeTimeNames: callback.safeTimes.map((time) => t(`directory.callback.times.${time}`)),
    };
    return errors ? reply.renderForm('directory/manage/callback.njk', errors, context) : reply.render('directory/manage/callback.njk', context);
  }

  app.get('/app/call-backs/:id', receive, (request, reply) => showCallback(request, reply));

  app.post('/app/call-backs/:id', receive, async (request, reply) => {
    const id = idParam(request);
    const form = parseForm(callbackStatusForm, request);
    if (!form.ok) return showCallback(request, reply, form.errors);
    await directory.callbacks.setStatus(actorOf(request), id, form.data.version, form.data.status, originOfRequest(request));
    return reply.redirect('/app/call-backs?notice=updated', 303);
  });
}
