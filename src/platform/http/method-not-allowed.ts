import FindMyWay from 'find-my-way';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declaredRoutes } from './access.js';
import { ROUTER_OPTIONS } from './router-options.js';

const byApp = new WeakMap<FastifyInstance, (request: FastifyRequest) => readonly string[]>();

/**
 * The methods an address answers when the request's own method is not one of them (none when it is: a route that
 * matched and found no record is "not found"), read from the routes the app declared and matched with the router
 * Fastify itself uses, set as the app's is. An address that exists, but not for the method asked, then gets 405
 * with an `Allow` header (RFC 9110, 15.5.6) instead of "not found". One router per app (each not-found handler
 * asks the same one), built on first use, when every route is declared.
 */
export function methodsAllowedInstead(app: FastifyInstance): (request: FastifyRequest) => readonly string[] {
  let found = byApp.get(app);
  if (!found) {
    found = allowedMethodsOf(app);
    byApp.set(app, found);
  }
  return found;
}

function allowedMethodsOf(app: FastifyInstance): (request: FastifyRequest) => readonly string[] {
  let router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;
  let methods: readonly FindMyWay.HTTPMethod[] = [];
  const build = () => {
    const built = FindMyWay({ ...ROUTER_OPTIONS });
    const seen = new Set<FindMyWay.HTTPMethod>();
    for (const route of declaredRoutes(app)) {
      const method = route.method.toUpperCase() as FindMyWay.HTTPMethod;
      if (!built.hasRoute(method, route.url)) built.on(method, route.url, () => undefined);
      seen.add(method);
    }
    methods = [...seen];
    return built;
  };
  return (request) => {
    router ??= build();
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = methods.filter((method) => router?.find(method, path));
    // A CORS preflight route answers OPTIONS at every address under it: that alone does not make an address exist.
    if (allowed.every((method) => method === 'OPTIONS')) return [];
    return allowed.includes(request.method as FindMyWay.HTTPMethod) ? [] : allowed;
  };
}
