import type { FastifyInstance, FastifyReply } from 'fastify';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { singleError, type FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { OrganisationClash, type Organisation } from '../reference-service.js';
import { editOrganisationForm, kindName, newOrganisationForm, ORGANISATION_KINDS } from '../schemas.js';
import { formLevelError, STALE_MESSAGE } from '../../../platform/views/stale-edit.js';
import { actorOf, noticeOf, paramOf, queryOf } from './common.js';

const LIST = '/app/admin/organisations';
const NOTICES = { added: 'Organisation added', updated: 'Organisation updated' };

function valuesOf(organisation: Organisation) {
  return { name: organisation.name, kind: organisation.kind, areaCode: organisation.area_code ?? '', active: organisation.active === 1 ? 'yes' : 'no', version: organisation.version };
}

export function registerOrganisationRoutes(app: FastifyInstance, services: Services): void {
  const { reference } = services;
  const manage = { config: { access: 'organisations.manage' as const } };

  async function renderForm(reply: FastifyReply, context: { organisation?: Organisation; values: Record<string, unknown>; errors?: FormErrors }) {
    const areas = await reference.listAreas();
    const { kind, areaCode } = context.values;
    return reply.render('admin/organisation-form.njk', {
      ...context,
      kindItems: [{ value: '', text: 'Select the kind of organisation' }, ...Object.entries(ORGANISATION_KINDS).map(([value, text]) => ({ value, text, selected: value === kind }))],
      areaItems: [{ value: '', text: 'Whole partnership (no single area)' }, ...areas.map((area) => ({ value: area.code, text: area.name, selected: area.code === areaCode }))],
    });
  }

  async function findOrganisation(id: string): Promise<Organisation> {
    const organisation = await reference.getOrganisation(id);
    if (!organisation) throw new UserFacingError(404, 'There is no organisation at this address.', 'Organisation not found');
    return organisation;
  }

  app.get(LIST, manage, async (request, reply) => {
    const [organisations, areas] = await Promise.all([reference.listOrganisations(), reference.listAreas()]);
    const areaNames = new Map(areas.map((area) => [area.code, area.name]));
    const highlighted = queryOf(request)['id'];
    return reply.render('admin/organisations.njk', {
      notice: noticeOf(request, NOTICES),
      highlighted: organisations.find((organisation) => organisation.id === highlighted)?.name,
      organisations: organisations.map((organisation) => ({
        ...organisation,
        kindName: kindName(organisation.kind),
        areaName: organisation.area_code ? (areaNames.get(organisation.area_code) ?? organisation.area_code) : 'Whole partnership',
      })),
    });
  });

  app.get(`${LIST}/new`, manage, (_request, reply) => renderForm(reply, { values: { active: 'yes' } }));

  app.post(`${LIST}/new`, manage, async (request, reply) => {
    const areaCodes = (await reference.listAreas()).map((area) => area.code);
    const form = parseForm(newOrganisationForm(areaCodes), request);
    if (!form.ok) return renderForm(reply.code(400), { values: form.values, errors: form.errors });
    try {
      const id = await reference.createOrganisation(actorOf(request), form.data, originOfRequest(request));
      return await reply.redirect(`${LIST}?notice=added&id=${id}`, 303);
    } catch (error: unknown) {
      if (error instanceof OrganisationClash) return renderForm(reply.code(400), { values: form.data, errors: singleError(error.field, error.message) });
      throw error;
    }
  });

  app.get(`${LIST}/:organisationId/edit`, manage, async (request, reply) => {
    const organisation = await findOrganisation(paramOf(request, 'organisationId'));
    return renderForm(reply, { organisation, values: valuesOf(organisation) });
  });

  app.post(`${LIST}/:organisationId/edit`, manage, async (request, reply) => {
    const organisation = await findOrganisation(paramOf(request, 'organisationId'));
    const areaCodes = (await reference.listAreas()).map((area) => area.code);
    const form = parseForm(editOrganisationForm(areaCodes), request);
    if (!form.ok) return renderForm(reply.code(400), { organisation, values: form.values, errors: form.errors });
    try {
      await reference.updateOrganisation(actorOf(request), organisation.id, form.data.version, { ...form.data, slug: organisation.slug }, originOfRequest(request));
    } catch (error: unknown) {
      if (error instanceof OrganisationClash) return renderForm(reply.code(400), { organisation, values: form.data, errors: singleError(error.field, error.message) });
      if (!(error instanceof StaleVersionError)) throw error;
      // Someone saved first: show what is saved now, and say plainly that this change was not.
      const latest = await findOrganisation(organisation.id);
      return renderForm(reply.code(409), {
        organisation: latest,
        values: valuesOf(latest),
        errors: formLevelError(STALE_MESSAGE('organisation'), 'name'),
      });
    }
    return reply.redirect(`${LIST}?notice=updated&id=${organisation.id}`, 303);
  });
}
