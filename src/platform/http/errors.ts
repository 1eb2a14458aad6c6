import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
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

/**
 * The headers and page for a request too malformed for the app's own pages (Fastify's bad-address and Node's
 * client errors): fixed text that echoes nothing back, the security headers every answer carries, and the number
 * to call in an emergency, since anyone may arrive here.
 */
const PLAIN_ERROR_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function plainErrorPage(title: string, reference: string | undefined): string {
  const referenceLine = reference ? `<p>Reference: <span class="app-reference">${reference.replace(/[^\w-]/g, '')}</span></p>` : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>This service could not read that request. <a href="/">Go to the home page</a>.</p><p>In an emergency, call <a href="tel:999">999</a>.</p>${referenceLine}</main></body></html>`;
}

/** Fastify's `frameworkErrors` (an address with a broken percent escape): the plain page instead of JSON that repeats the address. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: error.code, status: 400 }, 'request refused');
  if (isApiRequest(request)) {
    void sendProblem(reply.headers(PLAIN_ERROR_HEADERS), 400, 'Bad request', 'The address is not valid.');
    return;
  }
  void reply.code(400).headers(PLAIN_ERROR_HEADERS).send(plainErrorPage('Bad request', request.id));
}

/**
 * Node's `clientError` (through Fastify's `clientErrorHandler`): headers or an address too large, a request too slow,
 * or bytes that are not HTTP never reach the app, so the plain page is written to the connection here, which is then
 * closed, as Fastify's own handler does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, title] = CLIENT_ERROR_ANSWERS[error.code ?? ''] ?? [400, 'Bad request'];
  if (socket.writable) {
    const body = plainErrorPage(title, undefined);
    const headers = { ...PLAIN_ERROR_HEADERS, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
    socket.write([`HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n'));
  }
  socket.destroy(error);
}

const CLIENT_ERROR_ANSWERS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'That web address is too long'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long'],
};

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
