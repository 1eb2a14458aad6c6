import type { FastifyReply, FastifyRequest } from 'fastify';
import { KEPT_FORM_COOKIE, KEPT_FORM_COOKIE_PATH, type KeptFields, type KeptForms } from '../auth/kept-forms.js';
import { originOfRequest } from './forms.js';

/**
 * What this person sent to this page's form after their session ended, if it was kept (a route with
 * `keepsFormAcrossSignIn`): given once. The cookie that pointed to it is cleared either way, so a form that can no
 * longer be shown (its draft sent or deleted meanwhile) does not send every later sign-in back to this page.
 */
export async function takeKeptForm(request: FastifyRequest, reply: FastifyReply, keptForms: KeptForms): Promise<KeptFields | undefined> {
  const token = request.cookies[KEPT_FORM_COOKIE];
  const userId = request.actor?.userId;
  if (!token || !userId) return undefined;
  const fields = await keptForms.take(token, userId, request.url.split('?')[0] ?? '', originOfRequest(request));
  reply.clearCookie(KEPT_FORM_COOKIE, { path: KEPT_FORM_COOKIE_PATH });
  return fields;
}
