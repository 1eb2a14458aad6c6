import type { FastifyInstance, FastifyReply } from 'fastify';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import type { Area, PostcodeDistrict } from '../reference-service.js';
import { areaForm, postcodeDistrictForm } from '../schemas.js';
import { formLevelError, STALE_MESSAGE } from '../../../platform/views/stale-edit.js';
import { actorOf, noticeOf, paramOf, queryOf } from './common.js';

const AREAS = '/app/admin/areas';
const DISTRICTS = '/app/admin/postcode-districts';
const NOTICES = { updated: 'Changes saved' };

export function registerReferenceRoutes(app: FastifyInstance, services: Services): void {
  const { reference } = services;
  const manage = { config: { access: 'reference.manage' as const } };

  async function findArea(code: string): Promise<Area> {
    const area = await reference.getArea(code);
    if (!area) throw new UserFacingError(404, 'There is no area at this address.', 'Area not found');
    return area;
  }

  async function findDistrict(outward: string): Promise<PostcodeDistrict> {
    const district = await reference.getPostcodeDistrict(outward);
    if (!district) throw new UserFacingError(404, 'There is no postcode district at this address.', 'Postcode district not found');
    return district;
  }

  const areaValues = (area: Area) => ({ population: String(area.population_2021), towns: area.townList.join('\n'), version: area.version });

  app.get(AREAS, manage, async (request, reply) => {
    const [areas, districts] = await Promise.all([reference.listAreas(), reference.listPostcodeDistricts()]);
    const updated = queryOf(request)['code'];
    return reply.render('admin/areas.njk', {
      notice: noticeOf(request, NOTICES),
      updatedName: areas.find((area) => area.code === updated)?.name,
      areas: areas.map((area) => ({ ...area, districtCount: districts.filter((district) => district.areaList.includes(area.code)).length })),
    });
  });

  const renderArea = (reply: FastifyReply, area: Area, values: Record<string, unknown>, errors?: FormErrors) => reply.render('admin/area-form.njk', { area, values, errors });

  app.get(`${AREAS}/:code/edit`, manage, async (request, reply) => {
    const area = await findArea(paramOf(request, 'code'));
    return renderArea(reply, area, areaValues(area));
  });

  app.post(`${AREAS}/:code/edit`, manage, async (request, reply) => {
    const area = await findArea(paramOf(request, 'code'));
    const form = parseForm(areaForm, request);
    if (!form.ok) return renderArea(reply.code(400), area, form.values, form.errors);
    try {
      await reference.updateArea(actorOf(request), area.code, form.data.version, { population2021: form.data.population, towns: form.data.towns }, originOfRequest(request));
    } catch (error: unknown) {
      if (!(error instanceof StaleVersionError)) throw error;
      const latest = await findArea(area.code);
      return renderArea(reply.code(409), latest, areaValues(latest), formLevelError(STALE_MESSAGE('area'), 'population'));
    }
    return reply.redirect(`${AREAS}?notice=updated&code=${encodeURIComponent(area.code)}`, 303);
  });

  app.get(DISTRICTS, manage, async (request, reply) => {
    const [areas, districts] = await Promise.all([reference.listAreas(), reference.listPostcodeDistricts()]);
    const names = new Map(areas.map((area) => [area.code, area.name]));
    const areaFilter = queryOf(request)['area'];
    const selectedArea = typeof areaFilter === 'string' && names.has(areaFilter) ? areaFilter : '';
    return reply.render('admin/postcode-districts.njk', {
      notice: noticeOf(request, NOTICES),
      updated: typeof queryOf(request)['outward'] === 'string' ? queryOf(request)['outward'] : undefined,
      selectedArea,
      areaChoices: [{ value: '', text: 'All areas' }, ...areas.map((area) => ({ value: area.code, text: area.name, selected: area.code === selectedArea }))],
      districts: districts
        .filter((district) => !selectedArea || district.areaList.includes(selectedArea))
        .map((district) => ({ ...district, areaNames: district.areaList.map((code) => names.get(code) ?? code) })),
    });
  });

  /** `previous` is the mapping the person started from: it stands in for a version number. */
  async function renderDistrict(reply: FastifyReply, district: PostcodeDistrict, selected: readonly string[], errors?: FormErrors, previous = district.area_codes) {
    const areas = await reference.listAreas();
    return reply.render('admin/postcode-district-form.njk', {
      district,
      previous,
      errors,
      areaChoices: areas.map((area) => ({ value: area.code, text: area.name, checked: selected.includes(area.code) })),
    });
  }

  app.get(`${DISTRICTS}/:outward/edit`, manage, async (request, reply) => {
    const district = await findDistrict(paramOf(request, 'outward'));
    return renderDistrict(reply, district, district.areaList);
  });

  app.post(`${DISTRICTS}/:outward/edit`, manage, async (request, reply) => {
    const district = await findDistrict(paramOf(request, 'outward'));
    const areaCodes = (await reference.listAreas()).map((area) => area.code);
    const form = parseForm(postcodeDistrictForm(areaCodes), request);
    if (!form.ok) {
      const previous = typeof form.values['previous'] === 'string' ? form.values['previous'] : district.area_codes;
      return renderDistrict(reply.code(400), district, [form.values['areas'] ?? []].flat().map(String), form.errors, previous);
    }
    try {
      await reference.updatePostcodeDistrict(actorOf(request), district.outward, form.data.previous, form.data.areas, originOfRequest(request));
    } catch (error: unknown) {
      if (!(error instanceof StaleVersionError)) throw error;
      const latest = await findDistrict(district.outward);
      return renderDistrict(reply.code(409), latest, latest.areaList, formLevelError(STALE_MESSAGE('postcode district'), 'areas'));
    }
    return reply.redirect(`${DISTRICTS}?notice=updated&outward=${encodeURIComponent(district.outward)}`, 303);
  });
}
