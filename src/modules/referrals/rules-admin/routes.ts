import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { RISK_LEVEL_LABELS, ROUTE_KIND_LABELS } from '../options.js';
import type { RuleSet } from '../rules/schema.js';
import { NUMBER_FIELDS, rulesFromForm, targetFields, valuesOf, type FormValues } from './form.js';
import { criterionLabel, splitRoute } from './preview.js';
import { PREVIEW_DAYS } from './service.js';

const BASE = '/app/routing-rules';
const MANAGE = { config: { access: 'routing.manage' as const } };
const STALE = 'Someone saved or activated another version of these rules while you were working, so your change was not saved. Check the latest version and make your change again.';

const AREA_SERVICE_WORDS = { idva: 'IDVA service', outreach: 'outreach service', safe_accommodation: 'safe accommodation service' } as const;

const activateForm = z.object({
  changeNote: z.string({ error: 'Describe what changed and why' }).trim().min(1, 'Describe what changed and why').max(1000, 'The change note must be 1000 characters or fewer'),
});

function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

function params(request: FastifyRequest): { area: string; version: number } {
  const raw = request.params as Record<string, string | undefined>;
  const version = raw['version'];
  return { area: raw['area'] ?? '', version: version && /^\d{1,9}$/.test(version) ? Number(version) : Number.NaN };
}

export function registerRulesAdminRoutes(app: FastifyInstance, services: Services): void {
  const admin = services.routingRulesAdmin;

  async function organisations() {
    const all = await services.reference.listOrganisations();
    return { names: new Map(all.map((organisation) => [organisation.slug, organisation.name])), active: all.filter((organisation) => organisation.active === 1) };
  }

  /** Words for a rule set's routes and services, for the summary shown on several pages. */
  async function describe(rules: RuleSet) {
    const [{ names: orgNames }, districtNames] = await Promise.all([organisations(), admin.districtNames()]);
    const orgName = (slug: string) => orgNames.get(slug) ?? slug;
    return {
      rules,
      orgName: Object.fromEntries(orgNames),
      districts: rules.districts.map((code) => ({ code, name: districtNames.get(code) ?? code, services: rules.areaServices[code], housing: rules.housingTeams[code] })),
      routes: rules.routes.map((route) => ({ id: route.id, kind: ROUTE_KIND_LABELS[route.kind] ?? route.kind, summary: route.summary, target: 'organisation' in route.target ? orgName(route.target.organisation) : 'areaService' in route.target ? `The district’s ${AREA_SERVICE_WORDS[route.target.areaService]}` : 'safeguarding' in route.target ? `${route.target.safeguarding === 'children' ? 'Children’s' : 'Adult'} safeguarding for the area` : 'The district’s housing team' })),
    };
  }

  app.get(BASE, MANAGE, async (_request, reply) => reply.render('referrals-rules/overview.njk', { areas: await admin.overview() }));

  app.get(`${BASE}/:area`, MANAGE, async (request, reply) => {
    const history = await admin.history(params(request).area);
    const notice = (request.query as Record<string, unknown>)['notice'];
    const inUse = `Version ${String(history.active.version)} is now in use for new referrals.`;
    const notices = new Map<unknown, { text: string; type?: 'success' }>([
      ['activated', { text: inUse, type: 'success' }],
      ['activated-meanwhile', { text: `${inUse} It had already been activated when you confirmed (by someone else, or by an earlier press of the button), so that change note was not kept.` }],
      ['stale', { text: STALE }],
    ]);
    return reply.render('referrals-rules/area.njk', { ...history, ...(await describe(history.active.rules)), notice: notices.get(notice), backLink: BASE });
  });

  async function renderEdit(reply: FastifyReply, area: string, basedOn: number, rules: RuleSet, values: FormValues, errors?: FormErrors) {
    const [{ active }, districtNames] = await Promise.all([organisations(), admin.districtNames()]);
    const fields = targetFields(rules, (code) => districtNames.get(code) ?? code);
    return reply.render('referrals-rules/edit.njk', {
      area,
      name: rules.name,
      basedOn,
      values,
      errors,
      numbers: Object.fromEntries(NUMBER_FIELDS.map((field) => [field.name, field])),
      groups: [...new Set(fields.map((field) => field.group))].map((group) => ({ group, fields: fields.filter((field) => field.group === group).map((field) => ({ ...field, items: [{ value: '', text: 'Select an organisation' }, ...active.map((organisation) => ({ value: organisation.slug, text: organisation.name, selected: organisation.slug === values[field.name] }))] })) })),
      backLink: `${BASE}/${area}`,
    });
  }

  app.get(`${BASE}/:area/edit`, MANAGE, async (request, reply) => {
    const { area } = params(request);
    const start = await admin.startingPoint(area);
    return renderEdit(reply, area, start.basedOn, start.rules, valuesOf(start.rules));
  });

  app.post(`${BASE}/:area/edit`, MANAGE, async (request, reply) => {
    const { area } = params(request);
    const start = await admin.startingPoint(area);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const basedOn = Number(body['basedOn']);
    const values = Object.fromEntries(Object.entries(body).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as FormValues;
    const districtNames = await admin.districtNames();
    const known = new Set((await organisations()).active.map((organisation) => organisation.slug));
    const result = rulesFromForm(start.rules, body, known, (code) => districtNames.get(code) ?? code);
    if (!result.ok) return renderEdit(reply.code(400), area, Number.isSafeInteger(basedOn) ? basedOn : start.basedOn, start.rules, values, result.errors);
    try {
      const version = await admin.saveDraft(actorOf(request), area, basedOn, result.rules, originOfRequest(request));
      return await reply.redirect(`${BASE}/${area}/versions/${String(version)}/preview`, 303);
    } catch (error: unknown) {
      if (!(error instanceof StaleVersionError)) throw error;
      // Shows the newest saved version: the change has to be made again on top of it.
      return renderEdit(reply.code(409), area, start.basedOn, start.rules, valuesOf(start.rules), { summary: [{ text: STALE, href: `#${NUMBER_FIELDS[0]?.name ?? ''}` }], byField: {} });
    }
  });

  app.get(`${BASE}/:area/versions/:version`, MANAGE, async (request, reply) => {
    const { area, version } = params(request);
    const [found, history] = await Promise.all([admin.version(area, version), admin.history(area)]);
    return reply.render('referrals-rules/version.njk', { area, row: found.row, isLatestDraft: found.row.status === 'draft' && history.latest === version, ...(await describe(found.rules)), backLink: `${BASE}/${area}` });
  });

  app.get(`${BASE}/:area/versions/:version/preview`, MANAGE, async (request, reply) => {
    const { area, version } = params(request);
    const [found, history] = await Promise.all([admin.version(area, version), admin.history(area)]);
    const preview = await admin.preview(actorOf(request), area, version, originOfRequest(request));
    const { names } = await organisations();
    const routeName = (route: string) => {
      const { kind, organisationSlug } = splitRoute(route);
      return `${ROUTE_KIND_LABELS[kind] ?? kind}: ${names.get(organisationSlug) ?? organisationSlug}`;
    };
    const riskName = (level: string) => RISK_LEVEL_LABELS[level] ?? level;
    return reply.render('referrals-rules/preview.njk', {
      area,
      row: found.row,
      name: found.rules.name,
      days: PREVIEW_DAYS,
      preview,
      isLatestDraft: found.row.status === 'draft' && history.latest === version,
      riskMoves: preview.riskMoves.map((move) => ({ text: `${riskName(move.from)} to ${riskName(move.to)}`, count: move.count })),
      criteria: preview.criteria.map((shift) => ({ ...shift, text: criterionLabel(shift.key) })),
      routes: preview.routes.map((shift) => ({ ...shift, text: routeName(shift.key) })),
      backLink: `${BASE}/${area}`,
    });
  });

  async function renderActivate(reply: FastifyReply, area: string, version: number, values: Record<string, unknown>, errors?: FormErrors) {
    const [found, history] = await Promise.all([admin.version(area, version), admin.history(area)]);
    if (found.row.status !== 'draft' || history.latest !== version) {
      // Refused because someone else got there first: the overview says what happened, rather than nothing.
      const notice = errors ? `?notice=${found.row.status === 'active' ? 'activated-meanwhile' : 'stale'}` : '';
      return reply.redirect(`${BASE}/${area}${notice}`, 303);
    }
    return reply.render('referrals-rules/activate.njk', { area, row: found.row, name: found.rules.name, activeVersion: history.active.version, values, errors, backLink: `${BASE}/${area}/versions/${String(version)}/preview` });
  }

  app.get(`${BASE}/:area/versions/:version/activate`, MANAGE, async (request, reply) => {
    const { area, version } = params(request);
    return renderActivate(reply, area, version, {});
  });

  app.post(`${BASE}/:area/versions/:version/activate`, MANAGE, async (request, reply) => {
    const { area, version } = params(request);
    const form = parseForm(activateForm, request);
    if (!form.ok) return renderActivate(reply.code(400), area, version, form.values, form.errors);
    try {
      await admin.activate(actorOf(request), area, version, form.data.changeNote, originOfRequest(request));
    } catch (error: unknown) {
      if (!(error instanceof StaleVersionError)) throw error;
      return renderActivate(reply.code(409), area, version, form.data, { summary: [{ text: STALE, href: '#changeNote' }], byField: {} });
    }
    return reply.redirect(`${BASE}/${area}?notice=activated`, 303);
  });
}
