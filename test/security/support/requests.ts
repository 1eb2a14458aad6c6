import type { LightMyRequestResponse } from 'fastify';
import type { Visitor } from '../../support/visitor.js';

export function isApiUrl(url: string): boolean {
  return url.startsWith('/api/');
}

/**
 * Sends one generated request the way a browser or API client would: a form body carrying the visitor's current
 * CSRF token on pages, JSON on `/api/`. `fields` are added to the form (or become the JSON object).
 */
export function sendAs(visitor: Visitor, method: string, url: string, fields: Record<string, string | string[]> = {}): Promise<LightMyRequestResponse> {
  if (method === 'GET') return visitor.get(url);
  if (isApiUrl(url)) return visitor.request(method, url, { contentType: 'application/json', payload: JSON.stringify(fields) });
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
  body.append('_csrf', visitor.lastCsrf);
  return visitor.request(method, url, { contentType: 'application/x-www-form-urlencoded', payload: body.toString() });
}

export function isRedirectToSignIn(response: LightMyRequestResponse): boolean {
  const location = response.headers.location;
  return response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string' && location.startsWith('/app/sign-in');
}

/** What a stack trace or a leaked internal error looks like in a response body. */
const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w$.<>]+ \(.*:\d+:\d+\)/,
  /\bat (?:file:\/\/|\/)[^\s]+:\d+:\d+/,
  /node_modules\//,
  /\b(?:TypeError|ReferenceError|SyntaxError|RangeError): /,
  /SQLITE_[A-Z]+/,
  /\bsyntax error at or near\b/,
  /Template render error/,
];

export function leakedInternals(body: string): string | undefined {
  return LEAK_PATTERNS.find((pattern) => pattern.test(body))?.source;
}
