import type { FastifyInstance } from 'fastify';

/** Headers that let any site's code read an answer: the open data feeds' (Open Referral UK asks for `*`). */
export const OPEN_DATA_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  // A partner's browser code may read the caching tag and, when refused for going too fast, when to try again.
  'Access-Control-Expose-Headers': 'ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** Whether an address (path and query) is under one of the modules' open data paths. */
export type OpenDataAddress = (url: string) => boolean;

export function openDataAddresses(paths: readonly string[]): OpenDataAddress {
  return (url) => paths.some((path) => url.startsWith(path) && /^(?:[/?]|$)/.test(url.slice(path.length)));
}

/**
 * Every answer under an open data path carries the headers, refusals and errors included: a client that cannot read
 * why it was refused cannot put its request right. (Answers to addresses too malformed to route are given them by
 * the plain error answers, which no hook reaches.)
 */
export function registerOpenDataHeaders(app: FastifyInstance, isOpenData: OpenDataAddress): void {
  app.addHook('onSend', (request, reply, payload, next) => {
    // The route's own path where one was found: the address as sent may spell it with escapes ("/api/%6Fruk").
    if (isOpenData(request.routeOptions.url ?? request.url)) reply.headers(OPEN_DATA_HEADERS);
    next(null, payload);
  });
}
