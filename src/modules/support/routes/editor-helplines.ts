import type { FastifyInstance } from 'fastify';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { keptOr } from '../../../platform/http/kept-form.js';
import { singleError } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { RECHECK_AFTER_DAYS } from '../helpline-service.js';
import { helplineForm } from '../schemas.js';
import { confidentialErrors, editorOf, idParam, noticeFrom } from './common.js';
import { ConfidentialAddressInText } from '../confidential-text.js';

const access = { access: 'content.manage' } as const;

/** /app/content/helplines: the help-now numbers, when each was last checked, and changing them. */
export function registerHelplineEditor(app: FastifyInstance, services: Services): void {
  const { helplines } = services.support;

  app.get('/app/content/helplines', { config: access }, async (request, reply) =>
    reply.render('support/editor/helplines.njk', {
      title: 'Help-now phone numbers',
      helplines: await helplines.listForEditors(),
      recheckMonths: Math.round(RECHECK_AFTER_DAYS / 30.5),
      notice: noticeFrom(request, { saved: 'The number is saved. Public pages show it within a minute.' }),
    }),
  );

  app.get('/app/content/helplines/:id', { config: access }, async (request, reply) => {
    const helpline = await helplines.get(idParam(request, 'id'));
    return reply.render('support/editor/helpline.njk', { title: `Change: ${helpline.texts['en']?.name ?? helpline.code}`, helpline, ...(await keptOr(request, reply, services, valuesOf(helpline))) });
  });

  app.post('/app/content/helplines/:id', { config: { ...access, keepsFormAcrossSignIn: true } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const helpline = await helplines.get(id);
    const title = `Change: ${helpline.texts['en']?.name ?? helpline.code}`;
    const form = parseForm(helplineForm, request);
    if (!form.ok) return reply.renderForm('support/editor/helpline.njk', form.errors, { title, helpline, values: form.values });
    try {
      await helplines.update(editorOf(request), id, form.data, originOfRequest(request));
    } catch (error) {
      if (error instanceof ConfidentialAddressInText) return reply.renderForm('support/editor/helpline.njk', confidentialErrors(error), { title, helpline, values: typedValues(request) });
      if (!(error instanceof StaleVersionError)) throw error;
      const message = 'Someone else changed this number while you were editing it, so your change was not saved. The form shows the latest details: make your change again.';
      return reply.code(409).render('support/editor/helpline.njk', { title, helpline, values: valuesOf(helpline), errors: singleError('displayNumber', message) });
    }
    return reply.redirect('/app/content/helplines?notice=saved', 303);
  });
}

function valuesOf(helpline: Awaited<ReturnType<Services['support']['helplines']['get']>>) {
  return {
    displayNumber: helpline.display_number,
    nameEn: helpline.texts['en']?.name,
    availabilityEn: helpline.texts['en']?.availability,
    nameEasyRead: helpline.texts['easy-read']?.name,
    availabilityEasyRead: helpline.texts['easy-read']?.availability,
    namePl: helpline.texts['pl']?.name,
    availabilityPl: helpline.texts['pl']?.availability,
    sourceNote: helpline.source_note,
    version: helpline.version,
  };
}
