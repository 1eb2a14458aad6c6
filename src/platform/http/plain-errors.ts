import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problemDocument, sendProblem } from './errors.js';
import { OPEN_DATA_HEADERS, type OpenDataAddress } from './open-data.js';
import { newRequestReference } from './request-reference.js';
import { EVERY_ANSWER_HEADERS, HSTS_HEADER, TEMPLATE_SCRIPT, TEMPLATE_SCRIPT_HASH } from './security-headers.js';
import { isApiAddress, isApiRequest } from './surfaces.js';

/** The numbers every public page shows, as the support module keeps them. */
export type EmergencyHelp = ReadonlyArray<{ readonly name: string; readonly availability: string; readonly displayNumber: string; readonly dial: string }>;

/**
 * The headers and page for a request too malformed for the app's own pages (Fastify's bad-address and Node's
 * client errors): fixed text that echoes nothing back, the security headers every answer carries, and, since
 * anyone may arrive here by a mangled link, the public pages' own Exit this page (button, skip link, Shift three
 * times, leaving without a history entry to come back to) and the numbers to call for help. Only the site's own
 * stylesheet and script may load, and the GOV.UK template's one inline script by its hash.
 */
const PLAIN_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  ...EVERY_ANSWER_HEADERS,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; script-src 'self' '${TEMPLATE_SCRIPT_HASH}'; style-src 'self'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'Cache-Control': 'no-store',
};

const CLIENT_ERROR_ANSWERS: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'That web address or request is too long', 'The address or the headers are longer than this service accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long', 'The request did not arrive in time.'],
};
const NOT_HTTP: readonly [number, string, string] = [400, 'Bad request', 'The request could not be read.'];

/**
 * The address (its first characters) in the request line of the bytes Node could not read. Best effort: Node gives
 * the chunk it was reading, which is the request's start for an address too long, but may be a later chunk for
 * headers that overflow across several reads, and is missing for a timeout; those get the page.
 */
const REQUEST_LINE = /^[A-Z]+ (\S+)/;

function requestTargetOf(error: Error): string | undefined {
  const packet = (error as { rawPacket?: unknown }).rawPacket;
  return Buffer.isBuffer(packet) ? REQUEST_LINE.exec(packet.toString('latin1', 0, 64))?.[1] : undefined;
}

/** The help lines are cached in memory; a database that does not answer in this time is not waited for. */
const LONGEST_WAIT_FOR_HELP_MS = 500;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${String(character.charCodeAt(0))};`);

function plainErrorPage(title: string, reference: string | undefined, help: EmergencyHelp | undefined, exitTo: string): string {
  const exitUrl = escapeHtml(exitTo);
  const referenceLine = reference ? `<p class="govuk-body">Reference: <span class="app-reference">${reference.replace(/[^\w-]/g, '')}</span></p>` : '';
  const lines = (help ?? []).map((line) => `<li>${escapeHtml(line.name)} (${escapeHtml(line.availability)}): <a class="govuk-link" href="tel:${line.dial.replace(/\D/g, '')}">${escapeHtml(line.displayNumber)}</a></li>`);
  const numbers = lines.length > 0 ? `<h2 class="govuk-heading-m">Get help now</h2><ul class="govuk-list">${lines.join('')}</ul>` : '<p class="govuk-body">In an emergency, call <a class="govuk-link" href="tel:999">999</a>.</p>';
  return [
    `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${title}</title><link rel="stylesheet" href="/assets/own/public.css"></head>`,
    `<body class="govuk-template__body"><script>${TEMPLATE_SCRIPT}</script>`,
    `<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>`,
    `<a href="${exitUrl}" class="govuk-skip-link govuk-js-exit-this-page-skiplink" rel="nofollow noreferrer" data-module="govuk-skip-link">Exit this page</a>`,
    `<main class="app-public-main" id="main-content"><div class="govuk-exit-this-page app-public-main__exit" data-module="app-quick-exit">`,
    `<a href="${exitUrl}" draggable="false" rel="nofollow noreferrer" class="govuk-button govuk-button--warning govuk-exit-this-page__button govuk-js-exit-this-page-button"><span class="govuk-visually-hidden">Emergency</span> Exit this page</a></div>`,
    `<div class="govuk-width-container"><div class="govuk-main-wrapper"><h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">This service could not read that request. <a class="govuk-link" href="/">Go to the home page</a>.</p>${numbers}${referenceLine}</div></div></main>`,
    `<script type="module" src="/assets/own/public.js"></script></body></html>`,
  ].join('');
}

interface PlainErrorOptions {
  readonly exitUrl: string;
  readonly help: () => Promise<EmergencyHelp>;
  readonly logger: FastifyBaseLogger;
  /** Addresses whose answers any site may read: an error there says so too, or the reader cannot see why. */
  readonly isOpenData: OpenDataAddress;
  /** Production: Strict-Transport-Security, as on every other answer. */
  readonly hsts: boolean;
}

/**
 * Answers for requests that never reach the app's pages. The help lines are read when a page is answered; an error
 * answered on the bare connection (where nothing may wait) shows the lines read last, or 999 before any was read.
 */
export function plainErrorAnswers({ exitUrl, help: readHelp, logger, isOpenData, hsts }: PlainErrorOptions) {
  const answerHeaders = hsts ? { ...PLAIN_ANSWER_HEADERS, ...HSTS_HEADER } : PLAIN_ANSWER_HEADERS;
  let lastRead: EmergencyHelp | undefined;
  async function help(): Promise<EmergencyHelp | undefined> {
    // The last numbers read, or 999 alone: an error page never fails, or waits long, for want of them.
    let gaveUp: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      gaveUp = setTimeout(() => {
        resolve(undefined);
      }, LONGEST_WAIT_FOR_HELP_MS);
    });
    try {
      const read = await Promise.race([readHelp(), late]);
      if (read) lastRead = read;
    } catch {
      // As above.
    } finally {
      clearTimeout(gaveUp);
    }
    return lastRead;
  }

  /** Fastify's `frameworkErrors` (an address with a broken percent escape): the plain page instead of JSON that repeats the address. */
  function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    request.log.info({ code: error.code, status: 400 }, 'request refused');
    if (isApiRequest(request)) {
      void sendProblem(reply.headers({ ...answerHeaders, ...(isOpenData(request.url) ? OPEN_DATA_HEADERS : {}) }), 400, 'Bad request', 'The address is not valid.');
      return;
    }
    void help().then((known) => reply.code(400).headers(answerHeaders).send(plainErrorPage('Bad request', request.id, known, exitUrl)));
  }

  /**
   * Node's `clientError` (through Fastify's `clientErrorHandler`): headers or an address too large, a request too slow,
   * or bytes that are not HTTP never reach the app, so the plain page is written to the connection here, which is then
   * closed, as Fastify's own handler does.
   */
  function answerClientError(error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, title, detail] = CLIENT_ERROR_ANSWERS[error.code ?? ''] ?? NOT_HTTP;
    // Never read by the app, so never given an id: this one is the reference the page shows and the log line carries.
    const reference = newRequestReference();
    logger.info({ reqId: reference, code: error.code, status }, 'request refused unread');
    if (socket.writable) {
      const target = requestTargetOf(error) ?? '';
      const api = isApiAddress(target);
      const body = api ? JSON.stringify(problemDocument(status, title, detail, reference)) : plainErrorPage(title, reference, lastRead, exitUrl);
      const type = api ? { 'Content-Type': 'application/problem+json' } : {};
      const open = isOpenData(target) ? OPEN_DATA_HEADERS : {};
      const headers = { ...answerHeaders, ...type, ...open, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
      socket.write([`HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n'));
    }
    socket.destroy(error);
    void help();
  }

  return { answerFrameworkError, answerClientError };
}
