import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerError, refuseMethod, sendProblem } from '../../../platform/http/errors.js';
import { methodsAllowedInstead } from '../../../platform/http/method-not-allowed.js';
import type { Services } from '../../../services.js';
import type { PublicDirectory } from '../public-directory.js';
import { createServiceMapping, organization, taxonomy, taxonomyTerm } from './mapping.js';
import { BadParameter, identifier, paging, proximityFilter, serviceFilters, type Query } from './params.js';
import { filterServiceAtLocations, filterServices, pageJson, pageOf } from './queries.js';
import { JsonBytes } from './json-bytes.js';
import { createResponseCache } from '../routes/page-cache.js';
import { SharedBody, sendShared } from '../../../platform/http/precompressed.js';

export const ORUK_VERSION = 'HSDS-UK-3.0';
/** The UK profile's own description, as the standard's `api_details` schema gives it for `profile`. */
const ORUK_PROFILE = 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md';
const OPENAPI_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'openapi.json');

/**
 * The Open Referral UK 3.0 feed: read-only, open to anyone (no key, any origin), only published services,
 * confidential locations left out entirely. Answers carry an ETag so a client can revalidate for free.
 */
/** Parameters that say nothing about what a visitor wants: paging, and a partner's sync of what changed. */
const SAYS_NOTHING = new Set(['page', 'per_page', 'modified_after']);
const ONE_RECORD = /\/:id$/;

/**
 * An answer that tells what a visitor was looking for or at (a need, an age, a place, a search, one record: called
 * from their browser by a partner's page) is not kept by the browser, as the public site's own pages are not.
 */
function revealsInterest(request: FastifyRequest): boolean {
  return Object.keys(request.query as Record<string, unknown>).some((name) => !SAYS_NOTHING.has(name)) || ONE_RECORD.test(request.routeOptions.url ?? '');
}

/** Where the feed lives; an open data path, readable by any site's code. */
export const ORUK_PATH = '/api/oruk';

export async function registerOrukApi(app: FastifyInstance, services: Services): Promise<void> {
  const { directory, config, clock } = services;
  const { serviceSummary, serviceSummaryJson, serviceFull, serviceAtLocationSummary, serviceAtLocationFull } = createServiceMapping(config.baseUrl);
  // The same address gives the same answer until something is published: keyed by the directory's generation.
  const answers = createResponseCache<{ body: SharedBody; contentTag: string }>({ maxEntries: 500, ttlMs: 5 * 60_000, clock });

  /** Builds (or reuses) the JSON for this address and sends it with a strong ETag per encoding; a matching If-None-Match gets 304. */
  async function answer(request: FastifyRequest, reply: FastifyReply, build: (current: PublicDirectory) => unknown) {
    const current = await directory.published.current();
    const key = `${String(current.generation)}|${request.url}`;
    let cached = answers.get(key);
    if (!cached) {
      const built = build(current);
      const json = built instanceof JsonBytes ? built : JsonBytes.of(built);
      cached = { body: new SharedBody(json.bytes), contentTag: json.digest.slice(0, 27) };
      answers.set(key, cached);
    }
    reply.header('Cache-Control', revealsInterest(request) ? 'no-store' : 'no-cache');
    return sendShared(request, reply, cached.body, 'application/json; charset=utf-8', cached.contentTag);
  }
  const allowedAt = methodsAllowedInstead(app);
  // The standard's document as published, naming where this feed lives: without `servers`, a client would resolve its
  // paths against the site's root, where `/services` is the public finder's page, not the feed.
  const openApi: unknown = { ...(JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')) as Record<string, unknown>), servers: [{ url: `${config.baseUrl}/api/oruk`, description: 'This Open Referral UK feed' }] };
  // A validator or an aggregator fetches every record in turn; answers come from a cache, so the feed allows more.
  // One limiter serves every address of the feed, so the allowance is one total per client, not one per address.
  const withinAllowance = app.rateLimit({ max: config.OPEN_DATA_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 });
  const open = { config: { access: 'public' as const, rateLimit: false as const }, onRequest: withinAllowance };

  await app.register(
    (api, _options, done) => {
      api.setErrorHandler((error: FastifyError, request, reply) => {
        if (error instanceof Missing) return sendProblem(reply, 404, 'Not found', error.message);
        if (error instanceof BadParameter) {
          return sendProblem(reply, 400, 'Invalid parameter', `The ${error.parameter} parameter is not valid: ${error.reason}.`, { invalid_params: [{ name: error.parameter, reason: error.reason }] });
        }
        return answerError(error, request, reply);
      });
      api.setNotFoundHandler((request, reply) => {
        const allowed = allowedAt(request);
        if (allowed.length > 0) return refuseMethod(request, reply, allowed);
        return sendProblem(reply, 404, 'Not found', 'There is nothing at this address in the Open Referral UK API.');
      });

      const preflight = (request: FastifyRequest, reply: FastifyReply) =>
        reply
          .code(204)
          .header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
          .header('Access-Control-Allow-Headers', headersAllowed(request.headers['access-control-request-headers']))
          .header('Vary', 'Access-Control-Request-Headers')
          .header('Access-Control-Max-Age', '86400')
          .send();
      // '/*' does not match the API's root, which a partner's first request (the version check) may preflight.
      // A preflight costs nothing to answer and browsers keep it a day; counting it would halve a partner's allowance.
      const preflightRoute = { config: { access: 'public' as const, rateLimit: false as const } };
      api.options('/', preflightRoute, preflight);
      api.options('/*', preflightRoute, preflight);

      api.get('/', open, (request, reply) => answer(request, reply, () => ({ version: ORUK_VERSION, profile: ORUK_PROFILE, openapi_url: `${config.baseUrl}/api/oruk/openapi.json` })));
      api.get('/openapi.json', open, (request, reply) => answer(request, reply, () => openApi));

      api.get('/services', open, (request, reply) =>
        answer(request, reply, (current) => {
          const query = request.query as Query;
          return pageJson(pageOf(filterServices(current, serviceFilters(query)), paging(query), serviceSummaryJson));
        }),
      );
      api.get('/services/:id', open, (request, reply) =>
        answer(request, reply, (current) => {
          const service = current.serviceById.get(identifier(idOf(request)));
          return service ? serviceFull(service, current) : missing('service');
        }),
      );

      api.get('/service_at_locations', open, async (request, reply) => {
        const query = request.query as Query;
        const near = proximityFilter(query);
        const point = near.postcode ? await directory.pointForPostcode(near.postcode) : undefined;
        return answer(request, reply, (current) => pageOf(filterServiceAtLocations(current, serviceFilters(query), near, point), paging(query), (link) => serviceAtLocationSummary(link, current)));
      });
      api.get('/service_at_locations/:id', open, (request, reply) =>
        answer(request, reply, (current) => {
          const link = current.serviceAtLocationById.get(identifier(idOf(request)));
          return link ? serviceAtLocationFull(link, current) : missing('service_at_location');
        }),
      );

      api.get('/taxonomies', open, (request, reply) => answer(request, reply, (current) => pageOf(current.taxonomies, paging(request.query as Query), (value) => taxonomy(value, current, false))));
      api.get('/taxonomies/:id', open, (request, reply) =>
        answer(request, reply, (current) => {
          const id = identifier(idOf(request));
          const found = current.taxonomies.find((value) => value.id === id);
          return found ? taxonomy(found, current, true) : missing('taxonomy');
        }),
      );

      api.get('/taxonomy_terms', open, (request, reply) => answer(request, reply, (current) => pageOf(current.terms, paging(request.query as Query), (term) => taxonomyTerm(term, current))));
      api.get('/taxonomy_terms/:id', open, (request, reply) =>
        answer(request, reply, (current) => {
          const term = current.termById.get(identifier(idOf(request)));
          return term ? taxonomyTerm(term, current) : missing('taxonomy_term');
        }),
      );

      api.get('/organizations', open, (request, reply) => answer(request, reply, (current) => pageOf(current.organisations, paging(request.query as Query), organization)));
      api.get('/organizations/:id', open, (request, reply) =>
        answer(request, reply, (current) => {
          const found = current.organisationById.get(identifier(idOf(request)));
          return found ? { ...organization(found), services: current.services.filter((service) => service.organisationId === found.id).map(serviceSummary) } : missing('organization');
        }),
      );
      done();
    },
    { prefix: ORUK_PATH },
  );
}

/** Header names, as a preflight lists them: a feed open to read, with no credentials, may be sent any of them. */
const HEADER_NAMES = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:[ \t]*,[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+){0,19}$/;

/** The headers a partner's page asked to send (revalidation, a framework's own), or the one the feed uses itself. */
function headersAllowed(asked: string | undefined): string {
  return asked !== undefined && asked.length <= 500 && HEADER_NAMES.test(asked.trim()) ? asked.trim() : 'If-None-Match';
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

class Missing extends Error {
  constructor(readonly kind: string) {
    super(`There is no published ${kind} with this id.`);
  }
}

function missing(kind: string): never {
  throw new Missing(kind);
}
