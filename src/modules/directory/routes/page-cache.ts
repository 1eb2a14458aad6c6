import type { FastifyReply, FastifyRequest } from 'fastify';
import { SharedBody, sendShared } from '../../../platform/http/precompressed.js';

const HTML = 'text/html; charset=utf-8';

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

/**
 * Sends a public page from the cache, or renders it, caches it and sends it. The page is rendered without a nonce
 * (its one inline script is allowed by hash, see security-headers.ts), so every visitor gets the same bytes, kept
 * ready compressed; the answer's content policy still carries its own fresh nonce.
 */
export async function sendCachedPage(
  cache: ResponseCache<SharedBody>,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: (reply: FastifyReply) => Promise<void>,
): Promise<void> {
  const cached = cache.get(key);
  if (cached !== undefined) {
    sendShared(request, reply, cached, HTML);
    return;
  }
  const nonce = request.cspNonce;
  const send = reply.send.bind(reply);
  // reply.render hands its HTML to reply.send: intercept that one call to keep the page and send it shared.
  reply.send = (payload?: unknown) => {
    reply.send = send;
    request.cspNonce = nonce;
    if (typeof payload !== 'string' || reply.statusCode !== 200) return send(payload);
    const body = SharedBody.of(payload);
    cache.set(key, body);
    return sendShared(request, reply, body, HTML);
  };
  request.cspNonce = '';
  try {
    await render(reply);
  } finally {
    request.cspNonce = nonce;
    reply.send = send;
  }
}
