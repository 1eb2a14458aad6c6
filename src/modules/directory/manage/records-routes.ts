import type { FastifyInstance, FastifyReply } from 'fastify';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import type { LocationInput, OrganisationInput } from '../model.js';
import { actorOf, historyWithNames, idParam, noticeOf } from './common.js';
import { locationForm, organisationForm, versionForm } from './schemas.js';

const manage = { config: { access: 'directory.manage' as const } };

/** Directory organisations and locations: list, add, change, history. */
export function registerRecordRoutes(app: FastifyInstance, services: Services): void {
  const { directory, reference } = services;

  async function showOrganisationForm(reply: FastifyReply, context: { id?: string; values: Record<string, unknown>; errors?: FormErrors }) {
    const page = { ...context, title: context.id ? 'Edit organisation' : 'Add an organisation', partners: await reference.listOrganisations() };
    return context.errors ? reply.renderForm('directory/manage/organisation-form.njk', context.errors, page) : reply.render('directory/manage/organisation-form.njk', page);
  }

  app.get('/app/directory/organisations', manage, async (request, reply) =>
    reply.render('directory/manage/organisations.njk', { title: 'Directory organisations', organisations: await directory.records.listOrganisations(), notice: noticeOf(request) }),
  );

  app.get('/app/directory/organisations/new', manage, (_request, reply) => showOrganisationForm(reply, { values: {} }));

  app.post('/app/directory/organisations/new', manage, async (request, reply) => {
    const form = parseForm(organisationForm, request);
    if (!form.ok) return showOrganisationForm(reply, { values: typedValues(request), errors: form.errors });
    const id = await directory.records.createOrganisation(actorOf(request), form.data satisfies OrganisationInput, originOfRequest(request));
    return reply.redirect(`/app/directory/organisations/${id}?notice=saved`, 303);
  });

  app.get('/app/directory/organisations/:id', manage, async (request, reply) => {
    const id = idParam(request);
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    const [partners, servicesOf, locations] = await Promise.all([reference.listOrganisations(), directory.editor.list({ organisationId: id }, 500, 0), directory.records.listLocations(id)]);
    return reply.render('directory/manage/organisation.njk', {
      title: organisation.name,
      organisation,
      partner: partners.find((partner) => partner.id === organisation.partner_organisation_id),
      serviceRows: servicesOf.rows,
      locations,
      notice: noticeOf(request),
    });
  });

  app.get('/app/directory/organisations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    return showOrganisationForm(reply, {
      id,
      values: { name: organisation.name, description: organisation.description, email: organisation.email ?? '', website: organisation.website ?? '', partnerOrganisationId: organisation.partner_organisation_id ?? '', version: String(organisation.version) },
    });
  });

  app.post('/app/directory/organisations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    const form = parseForm(organisationForm, request);
    const version = parseForm(versionForm, request);
    if (!form.ok) return showOrganisationForm(reply, { id, values: typedValues(request), errors: form.errors });
    if (!version.ok) return showOrganisationForm(reply, { id, values: typedValues(request), errors: version.errors });
    await directory.records.updateOrganisation(actorOf(request), id, version.data.version, form.data, originOfRequest(request));
    return reply.redirect(`/app/directory/organisations/${id}?notice=saved`, 303);
  });

  app.get('/app/directory/organisations/:id/history', manage, async (request, reply) => {
    const id = idParam(request);
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    return reply.render('directory/manage/history.njk', { title: `History: ${organisation.name}`, recordName: organisation.name, backHref: `/app/directory/organisations/${id}`, entries: await historyWithNames(services, 'organisation', id) });
  });

  async function showLocationForm(reply: FastifyReply, context: { id?: string; confidentialStored?: boolean; values: Record<string, unknown>; errors?: FormErrors }) {
    const [organisations, areas] = await Promise.all([directory.records.listOrganisations(), reference.listAreas()]);
    const page = { ...context, title: context.id ? 'Edit location' : 'Add a location', organisations, areas };
    return context.errors ? reply.renderForm('directory/manage/location-form.njk', context.errors, page) : reply.render('directory/manage/location-form.njk', page);
  }

  function locationInputOf(data: ReturnType<typeof locationForm.parse>): LocationInput {
    return {
      organisationId: data.organisationId,
      name: data.name,
      locationType: data.locationType,
      confidential: data.confidential,
      address: data.address1 && data.city && data.postalCode ? { address1: data.address1, address2: data.address2, city: data.city, postalCode: data.postalCode } : null,
      areaCode: data.areaCode,
      accessibility: data.accessibility,
    };
  }

  app.get('/app/directory/locations', manage, async (request, reply) =>
    reply.render('directory/manage/locations.njk', { title: 'Directory locations', locations: await directory.records.listLocations(), notice: noticeOf(request) }),
  );

  app.get('/app/directory/locations/new', manage, (request, reply) =>
    showLocationForm(reply, { values: { locationType: 'physical', organisationId: (request.query as Record<string, unknown>)['organisation'] } }),
  );

  app.post('/app/directory/locations/new', manage, async (request, reply) => {
    const form = parseForm(locationForm, request);
    if (!form.ok) return showLocationForm(reply, { values: typedValues(request), errors: form.errors });
    const id = await directory.records.createLocation(actorOf(request), locationInputOf(form.data), originOfRequest(request));
    return reply.redirect(`/app/directory/locations/${id}?notice=saved`, 303);
  });

  // A confidential address is shown only when asked for (?reveal=1), and each showing is audited.
  app.get('/app/directory/locations/:id', manage, async (request, reply) => {
    const id = idParam(request);
    const reveal = (request.query as Record<string, unknown>)['reveal'] === '1';
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: reveal, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    const [organisation, areas] = await Promise.all([directory.records.getOrganisation(location.organisation_id), reference.listAreas()]);
    return reply.render('directory/manage/location.njk', { title: location.name, location, organisation, area: areas.find((area) => area.code === location.area_code), notice: noticeOf(request) });
  });

  app.get('/app/directory/locations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: false, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    return showLocationForm(reply, {
      id,
      confidentialStored: location.hasConfidentialAddress,
      values: {
        organisationId: location.organisation_id,
        name: location.name,
        locationType: location.location_type,
        confidential: location.confidential === 1 ? 'yes' : '',
        address1: location.address_1 ?? '',
        address2: location.address_2 ?? '',
        city: location.city ?? '',
        postalCode: location.postal_code ?? '',
        areaCode: location.area_code ?? '',
        accessibility: location.accessibility ?? '',
        version: String(location.version),
      },
    });
  });

  app.post('/app/directory/locations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    const form = parseForm(locationForm, request);
    const version = parseForm(versionForm, request);
    if (!form.ok) return showLocationForm(reply, { id, values: typedValues(request), errors: form.errors });
    if (!version.ok) return showLocationForm(reply, { id, values: typedValues(request), errors: version.errors });
    await directory.records.updateLocation(actorOf(request), id, version.data.version, locationInputOf(form.data), originOfRequest(request));
    return reply.redirect(`/app/directory/locations/${id}?notice=saved`, 303);
  });

  app.get('/app/directory/locations/:id/history', manage, async (request, reply) => {
    const id = idParam(request);
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: false, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    return reply.render('directory/manage/history.njk', { title: `History: ${location.name}`, recordName: location.name, backHref: `/app/directory/locations/${id}`, entries: await historyWithNames(services, 'location', id) });
  });
}
