import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StaleVersionError } from '../../../../platform/db/versioning.js';
import { originOfRequest, parseForm } from '../../../../platform/http/forms.js';
import type { FormErrors } from '../../../../platform/views/form-errors.js';
import type { Services } from '../../../../services.js';
import { InboxActionError } from '../actions.js';
import { acceptForm } from '../schemas.js';
import { actorOf, INBOX, noticeOf, RECEIVE, routeIdOf, STALE_ROUTE_MESSAGE } from './common.js';
import { INBOX_NOTICES } from './list.js';

/** The referral as the receiving organisation sees it, and the accept button (the other actions have forms). */
export function registerReceivedReferralPage(app: FastifyInstance, services: Services): void {
  async function renderPage(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) {
    const received = await services.referralInbox.view(actorOf(request), routeIdOf(request), originOfRequest(request));
    return reply.render('referrals-inbox/referral.njk', { ...received, errors, notice: errors ? undefined : noticeOf(request, INBOX_NOTICES), backLink: INBOX });
  }

  app.get(`${INBOX}/:routeId`, RECEIVE, (request, reply) => renderPage(request, reply));

  app.post(`${INBOX}/:routeId/accept`, RECEIVE, async (request, reply) => {
    const routeId = routeIdOf(request);
    const form = parseForm(acceptForm, request);
    if (!form.ok) return renderPage(request, reply.code(400), { summary: [{ text: 'Reload the page and try again', href: '#actions' }], byField: {} });
    try {
      await services.referralInbox.accept(actorOf(request), routeId, form.data.version, originOfRequest(request));
    } catch (error: unknown) {
      if (error instanceof StaleVersionError) return renderPage(request, reply.code(409), { summary: [{ text: STALE_ROUTE_MESSAGE, href: '#actions' }], byField: {} });
      if (error instanceof InboxActionError) return renderPage(request, reply.code(409), { summary: [{ text: error.message, href: '#actions' }], byField: {} });
      throw error;
    }
    return reply.redirect(`${INBOX}/${routeId}?notice=accepted`, 303);
  });
}
