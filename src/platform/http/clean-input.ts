import querystring from 'node:querystring';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';

/**
 * Characters nobody types on purpose, which can still arrive in a form or an API body: control characters (a NUL, a
 * bell), the bidirectional overrides and isolates that make text display in another order than it is stored, the
 * invisible zero-width space, word joiner and byte-order mark, and half of a surrogate pair. A name made only of
 * them looks empty on every page. Tabs, line breaks, and the joiners and direction marks real scripts need, stay.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
const UNTYPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function withoutUntypedCharacters(text: string): string {
  return text.replace(UNTYPED, '');
}

/** Every string value in a parsed body, cleaned; the JSON parser has already refused bodies nested too deeply to walk. */
function cleaned(value: unknown): unknown {
  if (typeof value === 'string') return withoutUntypedCharacters(value);
  if (Array.isArray(value)) return value.map(cleaned);
  // An uploaded file's bytes are not text.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  // Names are left as sent: cleaning them could make two names one (the second silently winning), and a name with
  // such a character is one no schema knows. fromEntries makes each an own property, so none reaches a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cleaned(item)]));
}

/** A query text that could hold an untyped character once decoded: a percent escape, or anything not printable ASCII. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
const NEEDS_CLEANING = /[%\u0000-\u001f\u007f-\uffff]/;

/**
 * The query string, parsed (repeated names give a list, as Fastify's own parser does) and cleaned like a body: a NUL
 * in a search would otherwise reach the database, where PostgreSQL refuses it as text and the page fails.
 */
export function parseCleanQuery(text: string): Record<string, unknown> {
  // Most queries are plain printable ASCII with no escapes, so nothing in them can decode to such a character: the
  // parsed values are kept as they are (as own properties of a plain object), and every page view is spared a walk.
  if (!NEEDS_CLEANING.test(text)) return { ...querystring.parse(text) };
  return cleaned(querystring.parse(text)) as Record<string, unknown>;
}

const cleanBody: preValidationHookHandler = (request, _reply, done) => {
  if (request.body !== undefined && request.body !== null) request.body = cleaned(request.body);
  done();
};

/**
 * Before any route reads a body, form or JSON, its text is cleaned, so no check or page ever sees those characters.
 * Added to the routes that take a body only: a hook on every route would cost every page view something.
 */
export function registerInputCleaning(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.some((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))) return;
    route.preValidation = [cleanBody, ...[route.preValidation ?? []].flat()];
  });
}
