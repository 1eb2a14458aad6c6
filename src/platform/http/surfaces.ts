import type { FastifyRequest } from 'fastify';

/** Which part of the service an address belongs to; asked by error handling, body parsing, rendering and access. */

/** Addresses under /api (and /api itself) answer in JSON: problem documents, never pages. */
export function isApiAddress(url: string): boolean {
  return /^\/api(\/|\?|$)/.test(url);
}

export function isApiRequest(request: FastifyRequest): boolean {
  return isApiAddress(request.url);
}

/** The staff side: its pages use the professional layout and are always in English. */
export function onProfessionalSide(request: FastifyRequest): boolean {
  return /^\/app(?:[/?]|$)/.test(request.url);
}
