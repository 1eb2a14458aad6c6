import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services.js';
import { originOfRequest, parseForm } from '../../http/forms.js';
import { singleError } from '../../views/form-errors.js';
import { describeWait } from '../throttle.js';
import { secondsUntil } from '../sessions.js';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer').pipe(z.email('Enter an email address in the correct format, like name@example.org')),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password must be 1024 characters or fewer'),
});

/** A lockout's answer carries its wait in Retry-After as well as in words, for a tool reading it. */
export function lockedOut(reply: FastifyReply, seconds: number): FastifyReply {
  return reply.code(429).header('Retry-After', String(Math.max(1, Math.ceil(seconds))));
}

export function lockedMessage(seconds: number): string {
  return `Too many attempts that were not right. For your security, wait ${describeWait(seconds)} before you try again, or reset your password.`;
}

export function registerSignInRoutes(app: FastifyInstance, services: Services): void {
  const { auth, sessionCookie } = services;

  app.get('/app/sign-in', { config: { access: 'anonymous' } }, async (request, reply) => {
    if (request.session?.stage === 'complete') return reply.redirect('/app', 303);
    const query = request.query as { ended?: string; kept?: string };
    const ssoOrganisations = await services.sso.organisationsForSignIn();
    return reply.render('auth/sign-in.njk', { ended: query.ended === '1', interrupted: query.ended === 'elsewhere', kept: query.kept === '1', values: {}, ssoOrganisations });
  });

  app.post('/app/sign-in', { config: { access: 'anonymous' } }, async (request, reply) => {
    const form = parseForm(signInForm, request);
    const ssoOrganisations = await services.sso.organisationsForSignIn();
    if (!form.ok) return reply.renderForm('auth/sign-in.njk', form.errors, { values: form.values, ssoOrganisations });
    const outcome = await auth.signInWithPassword(form.data.email, form.data.password, request.session?.id, originOfRequest(request));
    const values = { email: form.data.email };
    if (outcome.kind === 'locked') {
      return lockedOut(reply, outcome.retryAfterSeconds).render('auth/sign-in.njk', { errors: singleError('email', lockedMessage(outcome.retryAfterSeconds)), values, ssoOrganisations });
    }
    if (outcome.kind === 'invalid') {
      return reply.renderForm('auth/sign-in.njk', singleError('email', 'The email address or password is not right. Check them and try again.'), { values, ssoOrganisations });
    }
    setSessionCookie(reply, services, outcome.token);
    return reply.redirect(outcome.needsAuthenticatorSetUp ? '/app/sign-in/set-up-authenticator' : '/app/sign-in/code', 303);
  });

  app.post('/app/sign-out', { config: { access: 'account.use' } }, async (request, reply) => {
    if (request.session && request.actor) await auth.signOut(request.session.id, request.actor.userId, originOfRequest(request));
    reply.clearCookie(sessionCookie.name, sessionCookie.options);
    return reply.redirect('/app/signed-out', 303);
  });

  // "Stay signed in", from the warning the staff pages show two minutes before an idle session ends (init.js).
  app.post('/app/session/keep-alive', { config: { access: 'account.use' } }, async (request, reply) => {
    if (!request.session) return reply.code(401).send();
    const end = await services.sessions.keepAlive(request.session);
    return reply.send({ secondsLeft: secondsUntil(end.endsAt, services.clock()), final: end.endIsFinal });
  });

  app.get('/app/signed-out', { config: { access: 'anonymous' } }, (_request, reply) => reply.render('auth/signed-out.njk'));
}

/** A sign-in whose session was ended before its last step (signed out everywhere meanwhile): it starts again. */
export function signInAgain(reply: FastifyReply, services: Services): FastifyReply {
  reply.clearCookie(services.sessionCookie.name, services.sessionCookie.options);
  return reply.redirect('/app/sign-in?ended=elsewhere', 303);
}

export function setSessionCookie(reply: FastifyReply, services: Services, token: string): void {
  reply.setCookie(services.sessionCookie.name, token, services.sessionCookie.options);
}

