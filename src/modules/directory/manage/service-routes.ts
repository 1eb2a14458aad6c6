import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { requestedPage } from '../../../platform/views/pagination.js';
import { staleEdit } from '../../../platform/views/stale-edit.js';
import type { Services } from '../../../services.js';
import { DAYS, LANGUAGE_OPTIONS, languageName, SERVICE_STATUSES, type ServiceRecord } from '../model.js';
import { servicePageContext } from '../routes/service-page-context.js';
import { DirectoryProblem } from '../problem.js';
import { actorOf, editTitle, historyWithNames, idParam, MANAGE as manage, MANAGE_KEEPING_FORM, noticeOf, problemErrors, saveOrShow, showDirectoryForm, type FormContext } from './common.js';
import { keptOr } from '../../../platform/http/kept-form.js';
import { CONTACT_ROWS, formValuesOf, PHONE_ROWS, SERVICE_TEXT_LABELS, serviceForm, serviceInputOf, versionForm, WITHDRAWAL_REASONS, withdrawalForm } from './schemas.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import { REVIEW_AFTER_PUBLISHING } from '../service-editor.js';

const PAGE_SIZE = 50;
const FILTERS = ['draft', 'published', 'changed', 'withdrawn'] as const;

export function registerServiceRoutes(app: FastifyInstance, services: Services): void {
  const { directory, reference } = services;

  /** Everything the service form offers to choose from. */
  async function choices() {
    const [organisations, areas, published, locations] = await Promise.all([directory.records.listOrganisations(), reference.listAreas(), directory.published.current(), directory.records.listLocations()]);
    return {
      organisations,
      areas,
      needs: published.terms.filter((term) => term.taxonomyCode === 'needs'),
      groups: published.terms.filter((term) => term.taxonomyCode === 'groups'),
      locations,
      languageOptions: LANGUAGE_OPTIONS,
      statuses: SERVICE_STATUSES,
      days: DAYS,
      phoneRows: PHONE_ROWS,
      contactRows: CONTACT_ROWS,
    };
  }

  async function showForm(reply: FastifyReply, context: Omit<FormContext, 'id'> & { serviceId?: string }) {
    return showDirectoryForm(reply, 'directory/manage/service-form.njk', { ...(await choices()), ...context, title: context.serviceId ? editTitle('service', context.values) : 'Add a service' });
  }

  app.get('/app/directory', manage, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const state = FILTERS.find((value) => value === query['state']);
    const text = typeof query['q'] === 'string' ? query['q'].slice(0, 100) : '';
    const page = requestedPage(query['page']);
    const [{ rows, total }, reviews] = await Promise.all([directory.editor.list({ publication: state, text }, PAGE_SIZE, (page - 1) * PAGE_SIZE), directory.editor.reviewsDue()]);
    return reply.render('directory/manage/index.njk', { title: 'Service directory', rows, total, page, pageCount: Math.ceil(total / PAGE_SIZE), state, text, reviewsDue: reviews.length, notice: noticeOf(request) });
  });

  app.get('/app/directory/services/new', manage, async (request, reply) => {
    const organisationId = (request.query as Record<string, unknown>)['organisation'];
    return showForm(reply, await keptOr(request, reply, services, { status: 'active', referral: ['self', 'professional'], languages: ['en'], organisationId }));
  });

  app.post('/app/directory/services/new', MANAGE_KEEPING_FORM, async (request, reply) => {
    const form = parseForm(serviceForm, request);
    if (!form.ok) return showForm(reply, { values: typedValues(request), errors: form.errors });
    try {
      const id = await directory.editor.create(actorOf(request), serviceInputOf(form.data), originOfRequest(request));
      return await reply.redirect(`/app/directory/services/${id}?notice=created`, 303);
    } catch (error) {
      if (error instanceof DirectoryProblem) return showForm(reply, { values: typedValues(request), errors: problemErrors(error) });
      throw error;
    }
  });

  /** What the service's own page shows editors: the working copy with names for everything it refers to. */
  async function serviceContext(service: ServiceRecord) {
    const [organisation, areas, locations, published] = await Promise.all([
      directory.records.getOrganisation(service.organisationId),
      reference.listAreas(),
      directory.records.listLocations(),
      directory.published.current(),
    ]);
    return {
      title: service.name,
      service,
      reviewAfterPublishing: REVIEW_AFTER_PUBLISHING,
      organisation,
      areaNames: areas.filter((area) => service.areaCodes.includes(area.code)).map((area) => area.name),
      termNames: published.terms.filter((term) => service.termCodes.includes(term.code)).map((term) => term.name),
      serviceLocations: locations.filter((location) => service.locationIds.includes(location.id)),
      languageNames: service.languages.map(languageName),
    };
  }

  app.get('/app/directory/services/:id', manage, async (request, reply) => {
    const service = await requireService(request);
    return reply.render('directory/manage/service.njk', { ...(await serviceContext(service)), notice: noticeOf(request) });
  });

  app.get('/app/directory/services/:id/edit', manage, async (request, reply) => {
    const service = await requireService(request);
    return showForm(reply, { serviceId: service.id, ...(await keptOr(request, reply, services, formValuesOf(service))) });
  });

  app.post('/app/directory/services/:id/edit', MANAGE_KEEPING_FORM, async (request, reply) => {
    const id = idParam(request);
    const version = parseForm(versionForm, request);
    const form = parseForm(serviceForm, request);
    if (!form.ok || !version.ok) {
      const errors = !form.ok ? form.errors : !version.ok ? version.errors : { summary: [], byField: {} };
      return showForm(reply, { serviceId: id, values: typedValues(request), errors });
    }
    const typed = typedValues(request);
    return saveOrShow(reply, {
      save: () => directory.editor.update(actorOf(request), id, version.data.version, serviceInputOf(form.data), originOfRequest(request)),
      saved: async () => {
        const saved = await directory.editor.get(id);
        return reply.redirect(`/app/directory/services/${id}?notice=${saved?.publication === 'published' ? 'savedPublished' : 'saved'}`, 303);
      },
      show: (context) => showForm(reply, { serviceId: id, ...context }),
      latest: async () => {
        const values = formValuesOf(await requireService(request));
        const opened = { ...values, ...(await directory.records.valuesChangedSince('service', id, version.data.version)) };
        return { values, ...staleEdit('service', 'organisationId', typed, values, SERVICE_TEXT_LABELS, opened) };
      },
      typed,
    });
  });

  app.get('/app/directory/services/:id/preview', manage, async (request, reply) => {
    const id = idParam(request);
    const [preview, published, record] = await Promise.all([directory.preview(id), directory.published.current(), directory.editor.get(id)]);
    if (!preview || !record) throw new UserFacingError(404, 'There is no such service in the directory.', 'Not found');
    const publishable = record.publication !== 'published' || record.hasUnpublishedChanges;
    const publishing = publishable ? { version: record.version, label: record.publication === 'published' ? 'Publish these changes' : 'Publish' } : undefined;
    return reply.render('directory/service.njk', { ...servicePageContext(preview, published, services.clock()), title: `Preview: ${preview.name}`, preview: true, publishing });
  });

  /** Asked before a service leaves the public site: what that does, and why it is going (kept in its history). */
  async function showWithdrawal(reply: FastifyReply, service: ServiceRecord, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}) {
    const values = form.values ?? {};
    return reply.code(form.errors ? 400 : 200).render('directory/manage/withdraw.njk', {
      title: `Withdraw from the public site: ${service.name}`,
      service,
      reasons: WITHDRAWAL_REASONS.map((reason) => ({ ...reason, checked: values['reason'] === reason.value })),
      values,
      errors: form.errors,
    });
  }

  app.get('/app/directory/services/:id/withdraw', manage, async (request, reply) => showWithdrawal(reply, await requireService(request)));

  app.post('/app/directory/services/:id/withdraw', manage, async (request, reply) => {
    const service = await requireService(request);
    const form = parseForm(withdrawalForm, request);
    if (!form.ok) return showWithdrawal(reply, service, { values: typedValues(request), errors: form.errors });
    const words = WITHDRAWAL_REASONS.find((reason) => reason.value === form.data.reason)?.text ?? form.data.reason;
    try {
      await directory.editor.withdraw(actorOf(request), service.id, form.data.version, { code: form.data.reason, words, detail: form.data.detail }, originOfRequest(request));
    } catch (error) {
      if (!(error instanceof DirectoryProblem)) throw error;
      return showWithdrawal(reply, service, { values: typedValues(request), errors: problemErrors(error) });
    }
    return reply.redirect(`/app/directory/services/${service.id}?notice=withdrawn`, 303);
  });

  for (const [action, notice] of [
    ['publish', 'published'],
    ['review', 'reviewed'],
  ] as const) {
    app.post(`/app/directory/services/:id/${action}`, manage, async (request, reply) => {
      const id = idParam(request);
      const form = parseForm(versionForm, request);
      if (!form.ok) throw new UserFacingError(400, 'The form was out of date. Reload the page and try again.');
      const actor = actorOf(request);
      const origin = originOfRequest(request);
      try {
        if (action === 'publish') await directory.editor.publish(actor, id, form.data.version, origin);
        if (action === 'review') await directory.editor.markReviewed(actor, id, form.data.version, origin);
      } catch (error) {
        if (!(error instanceof DirectoryProblem)) throw error;
        const service = await requireService(request);
        return reply.code(400).render('directory/manage/service.njk', { ...(await serviceContext(service)), errors: problemErrors(error, `/app/directory/services/${id}/edit`) });
      }
      return reply.redirect(`/app/directory/services/${id}?notice=${notice}`, 303);
    });
  }

  app.get('/app/directory/services/:id/history', manage, async (request, reply) => {
    const service = await requireService(request);
    return reply.render('directory/manage/history.njk', { title: `History: ${service.name}`, recordName: service.name, backHref: `/app/directory/services/${service.id}`, entries: await historyWithNames(services, 'service', service.id) });
  });

  app.get('/app/directory/reviews', manage, async (_request, reply) => {
    return reply.render('directory/manage/reviews.njk', { title: 'Services due for review', rows: await directory.editor.reviewsDue() });
  });

  async function requireService(request: FastifyRequest) {
    const service = await directory.editor.get(idParam(request));
    if (!service) throw new UserFacingError(404, 'There is no such service in the directory.', 'Not found');
    return service;
  }
}
