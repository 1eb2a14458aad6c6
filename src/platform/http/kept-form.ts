import type { FastifyReply, FastifyRequest } from 'fastify';
import { KEPT_FORM_COOKIE, type KeptFields, type KeptForms } from '../auth/kept-forms.js';
import { originOfRequest } from './forms.js';

/**
 * What this person sent to this page's form after their session ended, if it was kept (a route with
 * `keepsFormAcrossSignIn`): given once, and the cookie that pointed to it cleared.
 */
export async function takeKeptForm(request: FastifyRequest, reply: FastifyReply, keptForms: KeptForms): Promise<KeptFields | undefined> {
  const token = request.cookies[KEPT_FORM_COOKIE];
  const userId = request.actor?.userId;
  if (!token || !userId) return undefined;
  const fields = await keptForms.take(token, userId, request.url.split('?')[0] ?? '', originOfRequest(request));
  if (fields) reply.clearCookie(KEPT_FORM_COOKIE, { path: '/app' });
  return fields;
}
