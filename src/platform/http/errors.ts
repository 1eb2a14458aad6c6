import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StaleVersionError } from '../db/versioning.js';
import { JSON_REPEATED_NAME, JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-body.js';
import { methodsAllowedInstead } from './method-not-allowed.js';

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

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** RFC 9457 problem document for the API surfaces. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail, instance: `urn:request:${reply.request.id}`, ...extra });
}

const CLIENT_ERRORS: Record<string, { status: number; title: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, title: 'Request too large', detail: 'What you sent is larger than this service accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', detail: 'This service does not accept that kind of content.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, title: 'Empty body', detail: 'The request body was empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  [JSON_TOO_DEEP]: { status: 400, title: 'Malformed JSON', detail: `The request body is nested more than ${String(MAX_JSON_DEPTH)} levels deep.` },
  [JSON_REPEATED_NAME]: { status: 400, title: 'Contradictory JSON', detail: 'A field is given more than once in one object of the request body, so which value was meant is not clear. Send each field once.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, title: 'Bad request', detail: 'The content length does not match the body.' },
  FST_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests', detail: 'You have made too many requests. Wait a minute and try again.' },
};

/** The field a body error is about, when the parser could say (see json-body.ts), in the form every API refusal uses. */
function pointerOf(error: FastifyError): { errors: Array<{ pointer: string; detail: string }> } | undefined {
  const pointer = (error as { pointer?: unknown }).pointer;
  return typeof pointer === 'string' ? { errors: [{ pointer, detail: 'Given more than once in the same object.' }] } : undefined;
}

/** The plain page with a reference number (or the problem document) for an error; the detail only in the log. */
function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = classify(error);
  if (known.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: error.code, status: known.status }, 'request refused');
  if (isApiRequest(request)) return sendProblem(reply, known.status, known.title, known.detail, pointerOf(error));
  return reply.code(known.status).render('error.njk', { layout: layoutFor(request), title: known.title, detail: known.detail, reference: request.id });
}

/** One error handler and one not-found handler: a plain page with a reference number, detail only in the log. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(answerError);

  const allowedAt = methodsAllowedInstead(app);
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedAt(request);
    if (allowed.length > 0) return refuseMethod(request, reply, allowed);
    if (isApiRequest(request)) return sendProblem(reply, 404, 'Not found', 'There is nothing at this address.');
    return reply.code(404).render('error.njk', {
      layout: layoutFor(request),
      title: 'Page not found',
      detail: 'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.',
      reference: request.id,
    });
  });
}

/** 405 for an address that exists for other methods: a plain page, or a problem document on the API. */
export function refuseMethod(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): FastifyReply {
  reply.code(405).header('Allow', allowed.join(', '));
  const detail = `This address does not accept ${request.method} requests.`;
  if (isApiRequest(request)) return sendProblem(reply, 405, 'Method not allowed', `${detail} It accepts ${allowed.join(', ')}.`);
  return reply.render('error.njk', { layout: layoutFor(request), title: 'Method not allowed', detail, reference: request.id });
}

export function layoutFor(request: FastifyRequest): string {
  return request.url.startsWith('/app') ? 'layouts/professional.njk' : 'layouts/public.njk';
}

function classify(error: FastifyError): { status: number; title: string; detail: string } {
  if (error instanceof UserFacingError) return { status: error.statusCode, title: error.title, detail: error.message };
  if (error instanceof StaleVersionError) return { status: 409, title: 'This record has changed', detail: error.message };
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  if (known) return known;
  if (error.statusCode === 429) return CLIENT_ERRORS['FST_ERR_RATE_LIMITED'] ?? { status: 429, title: 'Too many requests', detail: '' };
  if (error.validation) return { status: 400, title: 'Bad request', detail: 'Some of what you sent is not valid.' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, title: 'Bad request', detail: 'This service could not accept that request.' };
  }
  return { status: 500, title: 'Sorry, there is a problem with the service', detail: 'Try again later. If you contact us about this, give the reference number below.' };
}
