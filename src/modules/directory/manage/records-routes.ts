import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { originOfRequest, parseForm, typedValues } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { staleEdit } from '../../../platform/views/stale-edit.js';
import type { Services } from '../../../services.js';
import type { LocationInput, OrganisationInput } from '../model.js';
import { DirectoryProblem } from '../problem.js';
import { actorOf, editTitle, historyWithNames, idParam, MANAGE as manage, MANAGE_KEEPING_FORM, noticeOf, problemErrors, saveOrShow, showDirectoryForm, type FormContext } from './common.js';
import { keptOr } from '../../../platform/http/kept-form.js';
import { locationForm, organisationForm, versionForm } from './schemas.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import { changesToPublish, locationDocumentOf, organisationDocumentOf, publishedLocation, publishedOrganisation } from '../published-records.js';


const ORGANISATION_TEXT_LABELS = { name: 'Name', description: 'Description', email: 'Email address', website: 'Website' } as const;
const LOCATION_TEXT_LABELS = { name: 'Name', address1: 'Address line 1', address2: 'Address line 2', city: 'Town or city', postalCode: 'Postcode', accessibility: 'Access' } as const;

/** After saving: whether there is now something to publish. */
function savedNotice(record: { has_unpublished_changes: number } | undefined): 'saved' | 'savedToPublish' {
  return record?.has_unpublished_changes === 1 ? 'savedToPublish' : 'saved';
}

/** Directory organisations and locations: list, add, change, history, publication. */
export function registerRecordRoutes(app: FastifyInstance, services: Services): void {
  const { directory, reference, support } = services;

  /** Published text anywhere on the site that still names a confidential location's address. */
  async function publishedTextNamingLocation(id: string) {
    const namesAddress = await directory.records.confidentialAddressTest(id);
    if (!namesAddress) return [];
    return [...(await directory.records.publishedTextNaming(id)), ...(await support.publishedTextNaming(namesAddress))];
  }

  /** Information pages whose published text names the address of a location just made confidential come off the site too. */
  async function withholdPagesNaming(request: FastifyRequest, id: string): Promise<number> {
    const namesAddress = await directory.records.confidentialAddressTest(id);
    return namesAddress ? support.pages.withdrawLiveNaming(namesAddress, actorOf(request), originOfRequest(request)) : 0;
  }

  async function showOrganisationForm(reply: FastifyReply, context: FormContext) {
    const page = { ...context, title: context.id ? editTitle('organisation', context.values) : 'Add a directory organisation', partners: await reference.listOrganisations() };
    return showDirectoryForm(reply, 'directory/manage/organisation-form.njk', page);
  }

  async function latestOrganisationValues(id: string) {
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    return { name: organisation.name, description: organisation.description, email: organisation.email ?? '', website: organisation.website ?? '', partnerOrganisationId: organisation.partner_organisation_id ?? '', version: String(organisation.version) };
  }

  app.get('/app/directory/organisations', manage, async (request, reply) =>
    reply.render('directory/manage/organisations.njk', { title: 'Directory organisations', organisations: await directory.records.listOrganisations(), notice: noticeOf(request) }),
  );

  app.get('/app/directory/organisations/new', manage, async (request, reply) => showOrganisationForm(reply, await keptOr(request, reply, services, {})));

  app.post('/app/directory/organisations/new', MANAGE_KEEPING_FORM, async (request, reply) => {
    const form = parseForm(organisationForm, request);
    if (!form.ok) return showOrganisationForm(reply, { values: typedValues(request), errors: form.errors });
    try {
      const id = await directory.records.createOrganisation(actorOf(request), form.data satisfies OrganisationInput, originOfRequest(request));
      return await reply.redirect(`/app/directory/organisations/${id}?notice=savedToPublish`, 303);
    } catch (error) {
      if (error instanceof DirectoryProblem) return showOrganisationForm(reply, { values: typedValues(request), errors: problemErrors(error) });
      throw error;
    }
  });

  async function showOrganisation(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) {
    const id = idParam(request);
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    const [partners, servicesOf, locations] = await Promise.all([reference.listOrganisations(), directory.editor.list({ organisationId: id }, 500, 0), directory.records.listLocations(id)]);
    return reply.code(errors ? 400 : 200).render('directory/manage/organisation.njk', {
      title: organisation.name,
      organisation,
      partner: partners.find((partner) => partner.id === organisation.partner_organisation_id),
      changes: changesToPublish(publishedOrganisation(organisation), organisationDocumentOf(organisation)),
      serviceRows: servicesOf.rows,
      locations,
      notice: noticeOf(request),
      errors,
    });
  }

  app.get('/app/directory/organisations/:id', manage, async (request, reply) => showOrganisation(request, reply));

  app.get('/app/directory/organisations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    return showOrganisationForm(reply, { id, ...(await keptOr(request, reply, services, await latestOrganisationValues(id))) });
  });

  app.post('/app/directory/organisations/:id/edit', MANAGE_KEEPING_FORM, async (request, reply) => {
    const id = idParam(request);
    const form = parseForm(organisationForm, request);
    const version = parseForm(versionForm, request);
    if (!form.ok) return showOrganisationForm(reply, { id, values: typedValues(request), errors: form.errors });
    if (!version.ok) return showOrganisationForm(reply, { id, values: typedValues(request), errors: version.errors });
    const typed = typedValues(request);
    return saveOrShow(reply, {
      save: () => directory.records.updateOrganisation(actorOf(request), id, version.data.version, form.data, originOfRequest(request)),
      saved: async () => reply.redirect(`/app/directory/organisations/${id}?notice=${savedNotice(await directory.records.getOrganisation(id))}`, 303),
      show: (context) => showOrganisationForm(reply, { id, ...context }),
      latest: async () => {
        const values = await latestOrganisationValues(id);
        const opened = { ...values, ...(await directory.records.valuesChangedSince('organisation', id, version.data.version)) };
        return { values, ...staleEdit('organisation', 'name', typed, values, ORGANISATION_TEXT_LABELS, opened) };
      },
      typed,
    });
  });

  app.get('/app/directory/organisations/:id/history', manage, async (request, reply) => {
    const id = idParam(request);
    const organisation = await directory.records.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
    return reply.render('directory/manage/history.njk', { title: `History: ${organisation.name}`, recordName: organisation.name, backHref: `/app/directory/organisations/${id}`, entries: await historyWithNames(services, 'organisation', id) });
  });

  async function showLocationForm(reply: FastifyReply, context: FormContext & { confidentialStored?: boolean }) {
    const [organisations, areas] = await Promise.all([directory.records.listOrganisations(), reference.listAreas()]);
    const page = { ...context, title: context.id ? editTitle('location', context.values) : 'Add a directory location', organisations, areas };
    return showDirectoryForm(reply, 'directory/manage/location-form.njk', page);
  }

  /** The form as it opens: a confidential address is never put back into the page (left blank, it is kept). */
  async function latestLocation(request: FastifyRequest, id: string) {
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: false, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    return {
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
    };
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

  app.get('/app/directory/locations/new', manage, async (request, reply) =>
    showLocationForm(reply, await keptOr(request, reply, services, { locationType: 'physical', organisationId: (request.query as Record<string, unknown>)['organisation'] })),
  );

  app.post('/app/directory/locations/new', MANAGE_KEEPING_FORM, async (request, reply) => {
    const form = parseForm(locationForm, request);
    if (!form.ok) return showLocationForm(reply, { values: typedValues(request), errors: form.errors });
    try {
      const id = await directory.records.createLocation(actorOf(request), locationInputOf(form.data), originOfRequest(request));
      const withheld = (await directory.records.withholdTextNamingLocation(actorOf(request), id, originOfRequest(request))) + (await withholdPagesNaming(request, id)) > 0;
      return await reply.redirect(`/app/directory/locations/${id}?notice=${withheld ? 'withheld' : savedNotice(await directory.records.findLocation(id))}`, 303);
    } catch (error) {
      if (error instanceof DirectoryProblem) return showLocationForm(reply, { values: typedValues(request), errors: problemErrors(error) });
      throw error;
    }
  });

  /**
   * A confidential address is shown only when asked for, by a form (`reveal`): each showing is audited, and a link
   * that did it would let any page an editor visits record a showing in their name.
   */
  async function showLocation(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors, reveal = false) {
    const id = idParam(request);
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: reveal, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    const [organisation, areas, stillPublished] = await Promise.all([directory.records.getOrganisation(location.organisation_id), reference.listAreas(), publishedTextNamingLocation(id)]);
    const areaName = (code: string) => areas.find((area) => area.code === code)?.name ?? code;
    const changes = changesToPublish(publishedLocation(location), locationDocumentOf(location)).map((change) => (change.field === 'areaCode' ? { ...change, from: areaName(change.from), to: areaName(change.to) } : change));
    return reply.code(errors ? 400 : 200).render('directory/manage/location.njk', { title: location.name, location, organisation, area: areas.find((area) => area.code === location.area_code), stillPublished, changes, notice: noticeOf(request), errors });
  }

  app.get('/app/directory/locations/:id', manage, async (request, reply) => showLocation(request, reply));
  app.post('/app/directory/locations/:id/reveal', manage, async (request, reply) => showLocation(request, reply, undefined, true));

  app.get('/app/directory/locations/:id/edit', manage, async (request, reply) => {
    const id = idParam(request);
    const latest = await latestLocation(request, id);
    return showLocationForm(reply, { id, ...latest, ...(await keptOr(request, reply, services, latest.values)) });
  });

  app.post('/app/directory/locations/:id/edit', MANAGE_KEEPING_FORM, async (request, reply) => {
    const id = idParam(request);
    const form = parseForm(locationForm, request);
    const version = parseForm(versionForm, request);
    if (!form.ok) return showLocationForm(reply, { id, values: typedValues(request), errors: form.errors });
    if (!version.ok) return showLocationForm(reply, { id, values: typedValues(request), errors: version.errors });
    const typed = typedValues(request);
    let withheld = false;
    return saveOrShow(reply, {
      save: async () => {
        const withdrawn = await directory.records.updateLocation(actorOf(request), id, version.data.version, locationInputOf(form.data), originOfRequest(request));
        if (withdrawn !== undefined) withheld = withdrawn + (await withholdPagesNaming(request, id)) > 0;
      },
      saved: async () => reply.redirect(`/app/directory/locations/${id}?notice=${withheld ? 'withheld' : savedNotice(await directory.records.findLocation(id))}`, 303),
      show: (context) => showLocationForm(reply, { id, ...context }),
      latest: async () => {
        const latest = await latestLocation(request, id);
        const opened = { ...latest.values, ...(await directory.records.valuesChangedSince('location', id, version.data.version)) };
        return { ...latest, ...staleEdit('location', 'organisationId', typed, latest.values, LOCATION_TEXT_LABELS, opened) };
      },
      typed,
    });
  });

  for (const [kind, show] of [
    ['organisation', showOrganisation],
    ['location', showLocation],
  ] as const) {
    app.post(`/app/directory/${kind}s/:id/publish`, manage, async (request, reply) => {
      const id = idParam(request);
      const form = parseForm(versionForm, request);
      if (!form.ok) return show(request, reply, form.errors);
      try {
        const publish = kind === 'organisation' ? 'publishOrganisation' : 'publishLocation';
        await directory.records[publish](actorOf(request), id, form.data.version, originOfRequest(request));
      } catch (error) {
        if (error instanceof DirectoryProblem) return show(request, reply, problemErrors(error, `/app/directory/${kind}s/${id}/edit`));
        throw error;
      }
      return reply.redirect(`/app/directory/${kind}s/${id}?notice=recordPublished`, 303);
    });
  }

  app.get('/app/directory/locations/:id/history', manage, async (request, reply) => {
    const id = idParam(request);
    const location = await directory.records.getLocation(actorOf(request), id, { revealAddress: false, origin: originOfRequest(request) });
    if (!location) throw new UserFacingError(404, 'There is no such location.', 'Not found');
    return reply.render('directory/manage/history.njk', { title: `History: ${location.name}`, recordName: location.name, backHref: `/app/directory/locations/${id}`, entries: await historyWithNames(services, 'location', id) });
  });
}

