import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.js';
import { originOfRequest, parseForm } from '../../http/forms.js';
import { singleError, type FormErrors } from '../../views/form-errors.js';
import { authenticatorCodeForm, CODE_MESSAGES } from './second-factor.js';
import { lockedMessage, lockedOut, setSessionCookie, signInAgain } from './sign-in.js';
import { changePasswordForm } from './links.js';
import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import { ROLES } from '../../access/policy.js';

const PASSWORD_CHANGED = 'Your password has been changed. You have been signed out on every other device, and we have emailed you to say so.';

export function registerAccountRoutes(app: FastifyInstance, services: Services): void {
  const signedIn = { config: { access: 'account.use' as const } };

  const accountPage = async (request: FastifyRequest, reply: FastifyReply, problem?: { errors: FormErrors; status: number }) => {
    const actor = request.actor;
    if (!actor) return reply.redirect('/app/sign-in', 303);
    const account = await services.users.accountSummary(actor.userId);
    const changed = (request.query as { notice?: unknown }).notice === 'password-changed';
    const page = { account, roleNames: actor.roles.map((role) => ROLES[role]), notice: changed ? PASSWORD_CHANGED : undefined };
    return reply.code(problem?.status ?? 200).render('auth/account.njk', { ...page, errors: problem?.errors });
  };

  app.get('/app/account', signedIn, (request, reply) => accountPage(request, reply));

  const passwordPage = async (request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) => {
    const account = await services.users.accountSummary(request.actor?.userId ?? '');
    return reply.render('auth/change-password.njk', { hasPassword: account.hasPassword, email: account.email, minLength: MIN_PASSWORD_LENGTH, errors });
  };

  app.get('/app/account/password', signedIn, (request, reply) => passwordPage(request, reply));

  app.post('/app/account/password', signedIn, async (request, reply) => {
    if (!request.session) return reply.redirect('/app/sign-in', 303);
    const form = parseForm(changePasswordForm, request);
    if (!form.ok) return passwordPage(request, reply.code(400), form.errors);
    const outcome = await services.auth.changePassword(request.session, form.data.currentPassword, form.data.password, originOfRequest(request));
    if (outcome.kind === 'ok') {
      setSessionCookie(reply, services, outcome.token);
      return reply.redirect('/app/account?notice=password-changed', 303);
    }
    if (outcome.kind === 'ended') return signInAgain(reply, services);
    if (outcome.kind === 'no-password') return passwordPage(request, reply.code(400));
    if (outcome.kind === 'locked') return passwordPage(request, lockedOut(reply, outcome.retryAfterSeconds), singleError('currentPassword', lockedMessage(outcome.retryAfterSeconds)));
    const [field, message] = outcome.kind === 'wrong-password' ? ['currentPassword', 'Your current password is not right'] : outcome.kind === 'unchanged' ? ['password', 'Your new password must be different from your current password'] : ['password', outcome.message];
    return passwordPage(request, reply.code(400), singleError(field, message));
  });

  app.post('/app/account/sign-out-everywhere', signedIn, async (request, reply) => {
    if (request.actor) await services.auth.signOutEverywhere(request.actor.userId, originOfRequest(request));
    reply.clearCookie(services.sessionCookie.name, services.sessionCookie.options);
    return reply.redirect('/app/signed-out', 303);
  });

  app.post('/app/account/recovery-codes', signedIn, async (request, reply) => {
    if (!request.actor) return reply.redirect('/app/sign-in', 303);
    const form = parseForm(authenticatorCodeForm, request);
    if (!form.ok) return accountPage(request, reply, { errors: form.errors, status: 400 });
    const outcome = await services.auth.regenerateRecoveryCodes(request.actor.userId, form.data.code, originOfRequest(request));
    if (outcome.kind === 'ok') return reply.render('auth/recovery-codes.njk', { codes: outcome.codes, continueHref: '/app/account' });
    if (outcome.kind === 'locked') return accountPage(request, lockedOut(reply, outcome.retryAfterSeconds), { errors: singleError('code', lockedMessage(outcome.retryAfterSeconds)), status: 429 });
    return accountPage(request, reply, { errors: singleError('code', CODE_MESSAGES[outcome.kind]), status: 400 });
  });
}
