import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { requestLanguage } from '../../../platform/http/render.js';
import { localHref, platformTranslator } from '../../../platform/i18n/translator.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { directoryTranslator } from '../locales.js';
import type { PublicService } from '../public-directory.js';
import { callbackForm } from './schemas.js';
import { SAFE_TIME_OPTIONS } from './service.js';

/**
 * Per address, corrections included. Many people can share one address (a refuge's Wi-Fi, a mobile network), so
 * the limit only stops a machine filling a service's inbox, not a person trying again.
 */
const CALLBACK_POSTS_PER_TEN_MINUTES = 30;

/** Error messages are translation keys; the page shows them in the reader's language. */
function translated(errors: FormErrors, request: FastifyRequest): FormErrors {
  const lang = requestLanguage(request);
  const t = directoryTranslator.forLanguage(lang);
  // GOV.UK's error message starts with a hidden "Error:" for screen readers: in the page's language too.
  const visuallyHiddenText = platformTranslator.forLanguage(lang)('platform.errors.prefix');
  return {
    summary: errors.summary.map((item) => ({ ...item, text: t(item.text) })),
    byField: Object.fromEntries(Object.entries(errors.byField).map(([field, message]) => [field, { text: t(message.text), visuallyHiddenText }])),
  };
}

/** Two of the fields come back as lists: keep them as lists so the checkboxes stay ticked. */
function kept(values: Record<string, unknown>) {
  return { ...values, safeTimes: values['safeTimes'] === undefined ? [] : [values['safeTimes']].flat() };
}

export function registerCallbackPublicRoutes(app: FastifyInstance, services: Services): void {
  const { directory } = services;

  async function callbackService(request: FastifyRequest): Promise<PublicService | undefined> {
    const id = (request.params as { id: string }).id.toLowerCase();
    const service = (await directory.published.current()).serviceById.get(id);
    return service?.acceptsCallbacks ? service : undefined;
  }

  // The only public page that sets a cookie: the form's CSRF binding, because it has a form.
  app.get('/services/:id/call-back', { config: { access: 'public' } }, async (request, reply) => {
    const service = await callbackService(request);
    if (!service) {
      reply.callNotFound();
      return reply;
    }
    return reply.render('directory/callback-form.njk', { service, values: { safeTimes: [] }, safeTimeOptions: SAFE_TIME_OPTIONS });
  });

  // Counted after the body is read (preHandler), so a refusal can show the form again with what was typed: someone
  // who had to leave it and came back should not have to type a safe number again.
  const limit = { max: CALLBACK_POSTS_PER_TEN_MINUTES, timeWindow: 10 * 60 * 1000, hook: 'preHandler' as const };
  /** The form again with what was typed and one message about the whole form (not a field), on a new token. */
  function showFormKept(request: FastifyRequest, reply: FastifyReply, service: PublicService, status: number, messageKey: string) {
    const text = directoryTranslator.forLanguage(requestLanguage(request))(messageKey);
    const errors: FormErrors = { summary: [{ text, href: '#send-request' }], byField: {} };
    services.csrf.renewAnonymous(request, reply);
    return reply.code(status).render('directory/callback-form.njk', { service, errors, values: kept(typedValues(request)), safeTimeOptions: SAFE_TIME_OPTIONS });
  }
  async function showFormKeptWhenTooMany(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const service = error.statusCode === 429 ? await callbackService(request) : undefined;
    if (!service) return reply.send(error); // in an error handler: on to the app's own
    return showFormKept(request, reply, service, 429, 'directory.callback.error.tooMany');
  }
  const refuseWithFormKept = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    void showFormKeptWhenTooMany(error, request, reply).catch((failure: unknown) => reply.send(failure));
  };

  app.post('/services/:id/call-back', { config: { access: 'public', rateLimit: limit }, errorHandler: refuseWithFormKept }, async (request, reply) => {
    const service = await callbackService(request);
    if (!service) {
      reply.callNotFound();
      return reply;
    }
    const form = parseForm(callbackForm, request);
    if (!form.ok) {
      services.csrf.renewAnonymous(request, reply);
      return reply.renderForm('directory/callback-form.njk', translated(form.errors, request), { service, values: kept(form.values), safeTimeOptions: SAFE_TIME_OPTIONS });
    }
    // What was sent is part of it: pressed twice, it is one request; corrected and sent again after an answer that
    // never arrived, the correction reaches the service too.
    const submission = services.csrf.anonymousSubmissionKey(request, `call-back\u0000${service.id}\u0000${JSON.stringify(form.data)}`);
    if ((await directory.callbacks.request(service.id, form.data, originOfRequest(request), submission)) === 'unavailable') {
      return showFormKept(request, reply, service, 409, 'directory.callback.error.unavailable');
    }
    services.csrf.forgetAnonymous(request, reply);
    // A neutral address with nothing in it: not the service, not the number, not even that it was a call-back.
    return reply.redirect(localHref(requestLanguage(request), '/services/request-sent'), 303);
  });

  app.get('/services/request-sent', { config: { access: 'public' } }, (_request, reply) => reply.render('directory/callback-sent.njk'));
}
