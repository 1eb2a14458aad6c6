import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.js';
import { originOfRequest } from '../../http/forms.js';
import { ROLES } from '../../access/policy.js';

export function registerAccountRoutes(app: FastifyInstance, services: Services): void {
  const signedIn = { config: { access: 'account.use' as const } };

  app.get('/app/account', signedIn, async (request, reply) => {
    const actor = request.actor;
    if (!actor) return reply.redirect('/app/sign-in', 303);
    const account = await services.users.accountSummary(actor.userId);
    return reply.render('auth/account.njk', {
      account,
      roleNames: actor.roles.map((role) => ROLES[role]),
      signedOutOthers: (request.query as { ended?: string }).ended,
    });
  });

  app.post('/app/account/sign-out-everywhere', signedIn, async (request, reply) => {
    if (request.actor) await services.auth.signOutEverywhere(request.actor.userId, originOfRequest(request));
    reply.clearCookie(services.sessionCookie.name, services.sessionCookie.options);
    return reply.redirect('/app/signed-out', 303);
  });

  app.post('/app/account/recovery-codes', signedIn, async (request, reply) => {
    if (!request.actor) return reply.redirect('/app/sign-in', 303);
    const codes = await services.auth.regenerateRecoveryCodes(request.actor.userId, originOfRequest(request));
    return reply.render('auth/recovery-codes.njk', { codes, continueHref: '/app/account' });
  });
}
