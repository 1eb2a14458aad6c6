import type { FastifyInstance } from 'fastify';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { keptOr } from '../../../platform/http/kept-form.js';
import { singleError } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { RECHECK_AFTER_DAYS } from '../helpline-service.js';
import { dialOf, helplineForm, helplineStep } from '../schemas.js';
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

  /** The edit page's own context: the number, its title and its latest changes. */
  async function page(id: string, helpline?: Helpline) {
    const [shown, changes] = await Promise.all([helpline ?? helplines.get(id), helplines.changes(id)]);
    return { title: `Change: ${shown.texts['en']?.name ?? shown.code}`, helpline: shown, changes };
  }

  app.get('/app/content/helplines/:id', { config: access }, async (request, reply) => {
    const context = await page(idParam(request, 'id'));
    return reply.render('support/editor/helpline.njk', { ...context, ...(await keptOr(request, reply, services, valuesOf(context.helpline))) });
  });

  app.post('/app/content/helplines/:id', { config: { ...access, keepsFormAcrossSignIn: true } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const helpline = await helplines.get(id);
    const form = parseForm(helplineForm, request);
    if (!form.ok) return reply.renderForm('support/editor/helpline.njk', form.errors, { ...(await page(id, helpline)), values: form.values });
    const { step } = helplineStep.parse(request.body);
    if (step === 'change') return reply.render('support/editor/helpline.njk', { ...(await page(id, helpline)), values: form.data });
    // A new number shows on every public page at once: it is checked, by eye and by ringing it, before it is saved.
    const dial = dialOf(form.data.displayNumber);
    if (dial !== helpline.dial && step !== 'confirmed') {
      return reply.render('support/editor/helpline-confirm.njk', { title: `Check the new number: ${helpline.texts['en']?.name ?? helpline.code}`, helpline, values: form.data, dial });
    }
    try {
      await helplines.update(editorOf(request), id, form.data, originOfRequest(request));
    } catch (error) {
      if (error instanceof ConfidentialAddressInText) return reply.renderForm('support/editor/helpline.njk', confidentialErrors(error), { ...(await page(id, helpline)), values: typedValues(request) });
      if (!(error instanceof StaleVersionError)) throw error;
      const message = 'Someone else changed this number while you were editing it, so your change was not saved. The form shows the latest details: make your change again.';
      const latest = await page(id);
      return reply.code(409).render('support/editor/helpline.njk', { ...latest, values: valuesOf(latest.helpline), errors: singleError('displayNumber', message) });
    }
    return reply.redirect('/app/content/helplines?notice=saved', 303);
  });
}

type Helpline = Awaited<ReturnType<Services['support']['helplines']['get']>>;

function valuesOf(helpline: Helpline) {
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
