import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/access/policy.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { RECORD_ID } from '../../../platform/db/ids.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { ConfidentialAddressInText } from '../confidential-text.js';

/** The signed-in editor (the access check has already required a permission). */
export function editorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

/** A record id from the address; anything that is not one of ours is simply not found. */
export function idParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (typeof value !== 'string' || !RECORD_ID.test(value)) throw new UserFacingError(404, 'There is nothing at this address. It may have been typed wrongly.', 'Page not found');
  return value;
}

/** Success messages after a redirect travel as a short code in the address, never as free text. */
export function noticeFrom<K extends string>(request: FastifyRequest, messages: Record<K, string>): string | undefined {
  const code = (request.query as Record<string, unknown> | undefined)?.['notice'];
  return typeof code === 'string' && code in messages ? messages[code as K] : undefined;
}

/** The refusal of a refuge's address, on each field that names it, in the error summary too. */
export function confidentialErrors(error: ConfidentialAddressInText): FormErrors {
  return {
    summary: error.fields.map((field) => ({ text: error.message, href: `#${field}` })),
    byField: Object.fromEntries(error.fields.map((field) => [field, { text: error.message }])),
  };
}
