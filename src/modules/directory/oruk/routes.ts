import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../../platform/http/errors.js';
import type { Services } from '../../../services.js';
import type { PublicDirectory } from '../public-directory.js';
import { organization, serviceAtLocationFull, serviceAtLocationSummary, serviceFull, serviceSummary, taxonomy, taxonomyTerm } from './mapping.js';
import { BadParameter, identifier, paging, proximityFilter, serviceFilters, type Query } from './params.js';
import { filterServiceAtLocations, filterServices, pageOf } from './queries.js';

export const ORUK_VERSION = 'HSDS-UK-3.0';
const OPENAPI_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'openapi.json');

/**
 * The Open Referral UK 3.0 feed: read-only, open to anyone (no key, any origin), only published services,
 * confidential locations left out entirely. Answers carry an ETag so a client can revalidate for free.
 */
export async function registerOrukApi(app: FastifyInstance, services: Services): Promise<void> {
  const { directory, config } = services;
  const openApi = fs.readFileSync(OPENAPI_FILE);
  const open = { config: { access: 'public' as const } };

  await app.register(
    (api, _options, done) => {
      api.addHook('onSend', (_request, reply, payload, next) => {
        reply.header('Access-Control-Allow-Origin', '*');
        reply.header('Access-Control-Expose-Headers', 'ETag');
        reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
        next(null, payload);
      });
      api.setErrorHandler((error: FastifyError, request, reply) => {
        if (error instanceof BadParameter) {
          return sendProblem(reply, 400, 'Invalid parameter', `The ${error.parameter} parameter is not valid: ${error.reason}.`, { invalid_params: [{ name: error.parameter, reason: error.reason }] });
        }
        const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 429) return sendProblem(reply, 429, 'Too many requests', 'You have made too many requests. Wait a minute and try again.');
        if (status < 500) return sendProblem(reply, status, 'Bad request', 'This request could not be accepted.');
        request.log.error({ err: error }, 'Open Referral API request failed');
        return sendProblem(reply, 500, 'Sorry, there is a problem with the service', 'Try again later.');
      });
      api.setNotFoundHandler((_request, reply) => sendProblem(reply, 404, 'Not found', 'There is nothing at this address in the Open Referral UK API.'));

      api.options('/*', open, (_request, reply) =>
        reply.code(204).header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS').header('Access-Control-Allow-Headers', 'If-None-Match').header('Access-Control-Max-Age', '86400').send(),
      );

      api.get('/', open, (request, reply) =>
        json(request, reply, { version: ORUK_VERSION, profile: 'https://openreferraluk.org/', openapi_url: `${config.baseUrl}/api/oruk/openapi.json` }),
      );
      api.get('/openapi.json', open, (request, reply) => json(request, reply, JSON.parse(openApi.toString('utf8')) as unknown));

      api.get('/services', open, async (request, reply) => {
        const query = request.query as Query;
        const [filters, pages, current] = [serviceFilters(query), paging(query), await directory.published.current()];
        return json(request, reply, pageOf(filterServices(current, filters), pages, serviceSummary));
      });
      api.get('/services/:id', open, async (request, reply) => {
        const current = await directory.published.current();
        const service = current.serviceById.get(identifier(idOf(request)));
        return service ? json(request, reply, serviceFull(service, current)) : notFound(reply, 'service');
      });

      api.get('/service_at_locations', open, async (request, reply) => {
        const query = request.query as Query;
        const [filters, near, pages, current] = [serviceFilters(query), proximityFilter(query), paging(query), await directory.published.current()];
        const point = near.postcode ? await directory.pointForPostcode(near.postcode) : undefined;
        return json(request, reply, pageOf(filterServiceAtLocations(current, filters, near, point), pages, (link) => serviceAtLocationSummary(link, current)));
      });
      api.get('/service_at_locations/:id', open, async (request, reply) => {
        const current = await directory.published.current();
        const link = current.serviceAtLocationById.get(identifier(idOf(request)));
        return link ? json(request, reply, serviceAtLocationFull(link, current)) : notFound(reply, 'service_at_location');
      });

      api.get('/taxonomies', open, async (request, reply) => {
        const current = await directory.published.current();
        return json(request, reply, pageOf(current.taxonomies, paging(request.query as Query), (value) => taxonomy(value, current, false)));
      });
      api.get('/taxonomies/:id', open, async (request, reply) => {
        const current = await directory.published.current();
        const id = identifier(idOf(request));
        const found = current.taxonomies.find((value) => value.id === id);
        return found ? json(request, reply, taxonomy(found, current, true)) : notFound(reply, 'taxonomy');
      });

      api.get('/taxonomy_terms', open, async (request, reply) => {
        const current = await directory.published.current();
        return json(request, reply, pageOf(current.terms, paging(request.query as Query), (term) => taxonomyTerm(term, current)));
      });
      api.get('/taxonomy_terms/:id', open, async (request, reply) => {
        const current = await directory.published.current();
        const term = current.termById.get(identifier(idOf(request)));
        return term ? json(request, reply, taxonomyTerm(term, current)) : notFound(reply, 'taxonomy_term');
      });

      api.get('/organizations', open, async (request, reply) => {
        const current = await directory.published.current();
        return json(request, reply, pageOf(current.organisations, paging(request.query as Query), organization));
      });
      api.get('/organizations/:id', open, async (request, reply) => {
        const current = await directory.published.current();
        const found = current.organisationById.get(identifier(idOf(request)));
        return found ? json(request, reply, organisationWithServices(found.id, current)) : notFound(reply, 'organization');
      });
      done();
    },
    { prefix: '/api/oruk' },
  );
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function organisationWithServices(id: string, current: PublicDirectory) {
  const found = current.organisationById.get(id);
  if (!found) return {};
  return { ...organization(found), services: current.services.filter((service) => service.organisationId === id).map(serviceSummary) };
}

function notFound(reply: FastifyReply, kind: string) {
  return sendProblem(reply, 404, 'Not found', `There is no published ${kind} with this id.`);
}

/** Sends JSON with a strong ETag; a matching If-None-Match gets 304 and no body. */
function json(request: FastifyRequest, reply: FastifyReply, body: unknown) {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  reply.header('ETag', etag).header('Cache-Control', 'no-cache').header('Vary', 'Accept-Encoding');
  const sent = request.headers['if-none-match'];
  if (sent && sent.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(text);
}
