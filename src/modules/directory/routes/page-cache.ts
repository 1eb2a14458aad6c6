import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ResponseCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/**
 * A small in-memory LRU with a time limit, for public answers that are the same for everyone who asks the same
 * address (finder results, service pages, the Open Referral feed). Keys include the directory's generation, so
 * a publication is visible at once; the time limit bounds staleness of what other modules put on the page.
 * Nothing personal is ever cached: these pages have no session, no form token and no cookie.
 */
export function createResponseCache<T>(options: { maxEntries: number; ttlMs: number; clock: () => Date }): ResponseCache<T> {
  const entries = new Map<string, { value: T; expires: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expires < options.clock().getTime()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expires: options.clock().getTime() + options.ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= options.maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}

/** Stands in for the per-request CSP nonce in a cached page; random per process, so it cannot be guessed. */
const NONCE_MARKER = `cached-${randomBytes(18).toString('base64url')}`;

/**
 * A cached page as UTF-8 bytes, cut where the nonce goes: sending it is a copy of bytes, with no re-encoding of the
 * page into UTF-8 and no scan of it for its length on every answer.
 */
export interface CachedPage {
  readonly parts: readonly Buffer[];
}

function cut(html: string): CachedPage {
  return { parts: html.split(NONCE_MARKER).map((part) => Buffer.from(part)) };
}

function withNonce(page: CachedPage, nonce: string): Buffer {
  const nonceBytes = Buffer.from(nonce);
  return Buffer.concat(page.parts.flatMap((part, index) => (index === 0 ? [part] : [nonceBytes, part])));
}

/**
 * Sends a public page from the cache, or renders it, caches it and sends it. A page is stored with a marker where
 * the CSP nonce goes and every answer gets its own fresh nonce, so caching never weakens the content policy.
 */
export async function sendCachedPage(
  cache: ResponseCache<CachedPage>,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: (reply: FastifyReply) => Promise<void>,
): Promise<void> {
  const nonce = request.cspNonce;
  const cached = cache.get(key);
  if (cached !== undefined) {
    reply.type('text/html; charset=utf-8').send(withNonce(cached, nonce));
    return;
  }
  const send = reply.send.bind(reply);
  // reply.render hands its HTML to reply.send: intercept that one call to keep a copy before the real nonce goes in.
  reply.send = (payload?: unknown) => {
    request.cspNonce = nonce;
    if (typeof payload !== 'string') return send(payload);
    if (reply.statusCode === 200) cache.set(key, cut(payload));
    return send(payload.replaceAll(NONCE_MARKER, nonce));
  };
  request.cspNonce = NONCE_MARKER;
  try {
    await render(reply);
  } finally {
    request.cspNonce = nonce;
    reply.send = send;
  }
}
