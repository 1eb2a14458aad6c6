import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ASSET_ROOTS } from '../views/nunjucks.js';
import { pooledRandomBytes } from '../crypto/random-pool.js';

export interface SecurityHeaderOptions {
  readonly hsts: boolean;
}

/** The headers every answer carries whatever it is, the plain error answers included. */
export const EVERY_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), browsing-topics=(), interest-cohort=()',
};

/** Strict-Transport-Security, sent in production (where the site is only reached over https). */
export const HSTS_HEADER = { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } as const;

/** A fresh CSP nonce per request; strict headers on every answer, including errors. */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  app.decorateRequest('cspNonce', '');
  app.addHook('onRequest', (request, _reply, done) => {
    request.cspNonce = pooledRandomBytes(16).toString('base64');
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy(request.cspNonce));
    reply.headers(EVERY_ANSWER_HEADERS);
    if (options.hsts) reply.headers(HSTS_HEADER);
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}

/**
 * The one inline script of the GOV.UK page template (it marks the page as able to run the components' JavaScript
 * before anything is drawn), allowed by its hash as GOV.UK Frontend documents. A page shared by everyone who asks
 * the same address (the cached public pages) then needs no nonce of its own and can be kept ready compressed;
 * every other inline script still needs the answer's nonce.
 */
export const TEMPLATE_SCRIPT = templateScript(fs.readFileSync(`${ASSET_ROOTS.govuk}/template.njk`, 'utf8'));
export const TEMPLATE_SCRIPT_HASH = `sha256-${createHash('sha256').update(TEMPLATE_SCRIPT).digest('base64')}`;

function templateScript(template: string): string {
  const script = /<script[^>]*>([^<]+)<\/script>/.exec(template)?.[1];
  if (script === undefined) throw new Error('The GOV.UK page template has no inline script to allow: check the govuk-frontend version.');
  return script;
}

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' '${TEMPLATE_SCRIPT_HASH}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
