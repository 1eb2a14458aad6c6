import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT_BYTES } from './body-limit.js';
import { StaleVersionError } from '../db/versioning.js';
import { JSON_FORBIDDEN_NAME, JSON_REPEATED_NAME, JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-body.js';
import { methodsAllowedInstead } from './method-not-allowed.js';
import { platformTranslator } from '../i18n/translator.js';
import { isDatabaseUnreachable } from '../db/unreachable.js';
import { isApiRequest, onProfessionalSide } from './surfaces.js';

/** An error whose message is safe and useful to show the person who caused it. */
export class UserFacingError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly title = 'There is a problem',
  ) {
    super(message);
  }
}


/** RFC 9457 problem document for the API surfaces; `reference` is the request's, as an error page shows it. */
export function problemDocument(status: number, title: string, detail: string, reference: string, extra: Record<string, unknown> = {}) {
  return { type: 'about:blank', title, status, detail, instance: `urn:request:${reference}`, ...extra };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).type('application/problem+json').send(problemDocument(status, title, detail, reply.request.id, extra));
}

/**
 * What an error page or problem document says: a key into the platform's translation files (error pages are shown in
 * the reader's language; problem documents in English) and any values its text names.
 */
export interface ErrorText {
  readonly status: number;
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

const CLIENT_ERRORS: Record<string, ErrorText> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, key: 'tooLarge', params: { limit: `${String(BODY_LIMIT_BYTES / 1024)} KB` } },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, key: 'unsupportedType' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, key: 'emptyBody' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, key: 'malformedJson' },
  [JSON_TOO_DEEP]: { status: 400, key: 'jsonTooDeep', params: { depth: MAX_JSON_DEPTH } },
  [JSON_REPEATED_NAME]: { status: 400, key: 'jsonRepeatedName' },
  [JSON_FORBIDDEN_NAME]: { status: 400, key: 'jsonForbiddenName' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, key: 'contentLength' },
};
/** Too many requests: the wait the limiter gave (its Retry-After), in whole minutes. */
function tooMany(retryAfter: unknown): ErrorText {
  const minutes = Math.max(1, Math.ceil(Number(retryAfter) / 60) || 1);
  return minutes === 1 ? { status: 429, key: 'tooMany' } : { status: 429, key: 'tooManyMinutes', params: { minutes } };
}
const UNAVAILABLE: ErrorText = { status: 503, key: 'unavailable' };

const english = platformTranslator.forLanguage('en');

/** The English title and detail of an error's text, for problem documents and logs. */
export function inEnglish(text: ErrorText): { title: string; detail: string } {
  return { title: english(`platform.error.${text.key}.title`), detail: english(`platform.error.${text.key}.detail`, text.params) };
}

/** What error.njk needs to show an error's text in the reader's language. */
export function pageText(text: ErrorText, titleKey = text.key): Record<string, unknown> {
  return { titleKey: `platform.error.${titleKey}.title`, detailKey: `platform.error.${text.key}.detail`, detailParams: text.params ?? {} };
}

/**
 * What in the request a body error is about, in the form every API refusal uses: the field, when the parser could
 * say (see json-body.ts), or the Content-Type header when the body is not JSON (every API that takes a body takes JSON).
 */
function pointerOf(error: FastifyError): { errors: Array<Record<string, string>> } | undefined {
  const pointer = (error as { pointer?: unknown }).pointer;
  if (typeof pointer === 'string') return { errors: [{ pointer, detail: 'Given more than once in the same object.' }] };
  return error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? { errors: [{ header: 'Content-Type', detail: 'Must be application/json.' }] } : undefined;
}

/**
 * The plain page with a reference number (or the problem document) for an error; the detail only in the log. An API
 * with errors of its own hands every other error here, so a body too large or of the wrong type is named alike.
 */
export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = classify(error, reply);
  if (known.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: error.code, status: known.status }, 'request refused');
  const text = 'key' in known ? { ...inEnglish(known), page: pageText(known) } : { title: known.title, detail: known.detail, page: { title: known.title, detail: known.detail } };
  if (isApiRequest(request)) return sendProblem(reply, known.status, text.title, text.detail, pointerOf(error));
  return reply.code(known.status).render('error.njk', { layout: layoutFor(request), ...text.page, reference: request.id });
}

/** One error handler and one not-found handler: a plain page with a reference number, detail only in the log. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(answerError);

  const allowedAt = methodsAllowedInstead(app);
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedAt(request);
    if (allowed.length > 0) return refuseMethod(request, reply, allowed);
    if (isApiRequest(request)) return sendProblem(reply, 404, 'Not found', 'There is nothing at this address.');
    return reply.code(404).render('error.njk', { layout: layoutFor(request), ...pageText({ status: 404, key: 'notFound' }), reference: request.id });
  });
}

/** 405 for an address that exists for other methods: a plain page, or a problem document on the API. */
export function refuseMethod(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): FastifyReply {
  reply.code(405).header('Allow', allowed.join(', '));
  const text: ErrorText = { status: 405, key: 'methodNotAllowed', params: { method: request.method } };
  if (isApiRequest(request)) return sendProblem(reply, 405, inEnglish(text).title, `${inEnglish(text).detail} It accepts ${allowed.join(', ')}.`);
  return reply.render('error.njk', { layout: layoutFor(request), ...pageText(text), reference: request.id });
}

export function layoutFor(request: FastifyRequest): string {
  return onProfessionalSide(request) ? 'layouts/professional.njk' : 'layouts/public.njk';
}

/** A user-facing error or a stale record has its own English words; every other error is one of the platform's texts. */
function classify(error: FastifyError, reply: FastifyReply): ErrorText | { status: number; title: string; detail: string } {
  if (error instanceof UserFacingError) return { status: error.statusCode, title: error.title, detail: error.message };
  if (error instanceof StaleVersionError) return { status: 409, title: 'This record has changed', detail: error.message };
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  if (known) return known;
  // The client closed the connection before its body arrived (a cancelled upload, a lost signal): nothing failed here.
  if (reply.request.raw.readableAborted) return { status: 400, key: 'badRequest' };
  if (error.statusCode === 429) return tooMany(reply.getHeader('retry-after'));
  if (isDatabaseUnreachable(error)) return UNAVAILABLE;
  if (error.validation) return { status: 400, key: 'invalid' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return { status: error.statusCode, key: 'badRequest' };
  return { status: 500, key: 'serverError' };
}
