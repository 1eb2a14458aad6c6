import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import proxyAddr from 'proxy-addr';
import { PRIVATE_RANGES } from './config.js';
import { can } from './platform/access/policy.js';
import { registerAccessControl, requireDeclaredAccess } from './platform/http/access.js';
import { registerAssets } from './platform/http/assets.js';
import { BODY_LIMIT_BYTES } from './platform/http/body-limit.js';
import { registerErrorHandlers } from './platform/http/errors.js';
import { openDataAddresses, registerOpenDataHeaders } from './platform/http/open-data.js';
import { plainErrorAnswers } from './platform/http/plain-errors.js';
import { registerJsonBodyParser } from './platform/http/json-body.js';
import { newRequestReference } from './platform/http/request-reference.js';
import { registerRendering } from './platform/http/render.js';
import { ROUTER_OPTIONS } from './platform/http/router-options.js';
import { OneLinePerRequest } from './platform/http/request-log.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import type { Viewer } from './platform/access/user-service.js';
import type { FeatureModule, NavItem } from './platform/modules.js';
import { usePlainValidationMessages } from './platform/validation-messages.js';
import { parseCleanQuery, registerInputCleaning } from './platform/http/clean-input.js';
import { createViewEnvironment } from './platform/views/nunjucks.js';
import { createTranslator, loadCatalogues, PLATFORM_LOCALES } from './platform/i18n/translator.js';
import { MODULES } from './modules/index.js';
import { QUICK_EXIT_URL } from './modules/support/routes/public-pages.js';
import type { Services } from './services.js';
import { secondsUntil } from './platform/auth/sessions.js';

export interface AppDeps {
  readonly services: Services;
  readonly logger: FastifyBaseLogger;
  readonly modules?: readonly FeatureModule[];
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | undefined;
  }
  interface FastifyInstance {
    /** Every enabled module's professional navigation, for pages that gather from all of them (the home page). */
    navigation: readonly NavItem[];
    /** The record id behind a reference people read ("R-3H87-QF9C"), asked of every enabled module. */
    recordIdOf(reference: string): Promise<string | undefined>;
  }
}

/** Where a load balancer in front of the service connects from. */
const PRIVATE_PEER = proxyAddr.compile([...PRIVATE_RANGES]);

/**
 * A number of proxies as proxy-addr counts them: the connection itself is hop 0, the proxy before it hop 1, and so
 * on. The connection must come from a private address to be believed: a count alone would believe anyone who reached
 * an instance directly (Fastify refuses a bare count for that reason). Proxies at public addresses are named instead.
 */
function proxiesTrusted(setting: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (address, hop) => hop < setting && (hop > 0 || PRIVATE_PEER(address, hop)) : setting;
}

/** Builds the whole service, un-started. server.ts listens; tests inject requests into the same instance. */
export async function buildApp({ services, logger, modules = MODULES }: AppDeps): Promise<FastifyInstance> {
  usePlainValidationMessages();
  const { config } = services;
  const enabled = modules.filter((module) => config.SURFACES.includes(module.surface));
  const isOpenData = openDataAddresses(enabled.flatMap((module) => module.openDataPaths ?? []));
  const plainErrors = plainErrorAnswers({ exitUrl: QUICK_EXIT_URL, help: () => services.support.helplines.helpNow('en'), logger, isOpenData, hsts: config.NODE_ENV === 'production' });
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: proxiesTrusted(config.TRUST_PROXY),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: newRequestReference,
    logController: new OneLinePerRequest(logger),
    routerOptions: { ...ROUTER_OPTIONS, querystringParser: parseCleanQuery },
    frameworkErrors: plainErrors.answerFrameworkError,
    clientErrorHandler: plainErrors.answerClientError,
  });

  requireDeclaredAccess(app);
  registerSecurityHeaders(app, { hsts: config.NODE_ENV === 'production' });
  registerOpenDataHeaders(app, isOpenData);
  await app.register(fastifyCookie);
  registerJsonBodyParser(app);
  registerInputCleaning(app);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyRateLimit, { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 });

  const views = createViewEnvironment(enabled.flatMap((module) => module.viewFolders));
  const navigation = enabled.flatMap((module) => module.navigation ?? []);
  registerRendering(app, {
    views,
    // A folder two modules share (the public and editor halves of one module) is read once.
    translator: createTranslator(loadCatalogues([PLATFORM_LOCALES, ...new Set(enabled.flatMap((module) => module.localeFolders ?? []))])),
    csrf: services.csrf,
    pageContext: (request: FastifyRequest) =>
      request.actor
        ? {
            currentUser: request.viewer,
            session: request.session ? { secondsLeft: secondsUntil(request.session.endsAt, services.clock()), final: request.session.endIsFinal } : undefined,
            navigation: navigation
              .filter((item) => can(request.actor, item.permission))
              .map((item) => ({ href: item.href, text: item.text, active: request.url.startsWith(item.href) && item.href !== '/app' ? true : request.url === item.href })),
          }
        : {},
  });
  app.decorate('navigation', navigation);
  app.decorate('recordIdOf', async (reference: string) => {
    for (const module of enabled) {
      const id = await module.recordIdOf?.(services, reference);
      if (id) return id;
    }
    return undefined;
  });
  app.decorateRequest('sessionEnded', undefined);
  app.decorateRequest('viewer', undefined);
  registerAccessControl(app, { crypto: services.crypto, sessions: services.sessions, audit: services.audit, csrf: services.csrf, cookie: services.sessionCookie, keptForms: services.keptForms });
  registerErrorHandlers(app);
  await registerAssets(app);
  for (const module of enabled) await module.register(app, services);
  return app;
}
