import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeptFields, KeptForms } from '../auth/kept-forms.js';
import type { SessionCookie } from './access.js';
import { originOfRequest } from './forms.js';

/**
 * What this person sent to this page's form after their session ended, if it was kept (a route with
 * `keepsFormAcrossSignIn`): given once. The cookie that pointed to it is cleared either way, so a form that can no
 * longer be shown (its draft sent or deleted meanwhile) does not send every later sign-in back to this page.
 */
export async function takeKeptForm(request: FastifyRequest, reply: FastifyReply, { keptForms, sessionCookie }: { keptForms: KeptForms; sessionCookie: SessionCookie }): Promise<KeptFields | undefined> {
  const token = request.cookies[sessionCookie.keptFormName];
  const userId = request.actor?.userId;
  if (!token || !userId) return undefined;
  const fields = await keptForms.take(token, userId, request.url.split('?')[0] ?? '', originOfRequest(request));
  reply.clearCookie(sessionCookie.keptFormName, sessionCookie.options);
  return fields;
}

/** A form's first values: what this person typed when their session ended (given once, marked restored), or these. */
export async function keptOr(request: FastifyRequest, reply: FastifyReply, deps: { keptForms: KeptForms; sessionCookie: SessionCookie }, values: Record<string, unknown>): Promise<{ values: Record<string, unknown>; restored?: true }> {
  const kept = await takeKeptForm(request, reply, deps);
  return kept ? { values: kept, restored: true } : { values };
}
