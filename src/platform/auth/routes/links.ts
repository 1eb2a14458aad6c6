import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services.js';
import type { LinkCheck } from '../service.js';
import { originOfRequest, parseForm } from '../../http/forms.js';
import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import type { TokenPurpose } from '../user-tokens.js';
import { setSessionCookie } from './sign-in.js';
import { singleError } from '../../views/form-errors.js';

const LINK_COOKIE = 'link_token';

/** A password chosen and typed again; `label` is the field's label, which starts its error messages. */
function newPasswordFields(label: 'Password' | 'New password') {
  return {
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `${label} must be ${String(MIN_PASSWORD_LENGTH)} characters or more`)
      .max(256, `${label} must be 256 characters or fewer`),
    confirmPassword: z.string().min(1, `Confirm your ${label.toLowerCase()}`),
  };
}

const typedAlike = (form: { password: string; confirmPassword: string }) => form.password === form.confirmPassword;
const NOT_ALIKE = { path: ['confirmPassword'], message: 'The passwords do not match' };

export const newPasswordForm = z.object(newPasswordFields('Password')).refine(typedAlike, NOT_ALIKE);

export const changePasswordForm = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password').max(256, 'Current password must be 256 characters or fewer'), ...newPasswordFields('New password') })
  .refine(typedAlike, NOT_ALIKE);

interface LinkJourney {
  readonly purpose: TokenPurpose;
  readonly basePath: string;
  readonly heading: string;
}

const JOURNEYS: readonly LinkJourney[] = [
  { purpose: 'invitation', basePath: '/app/invitation', heading: 'Create your password' },
  { purpose: 'password_reset', basePath: '/app/password-reset', heading: 'Choose a new password' },
];

type LinkProblem = Exclude<LinkCheck['state'], 'valid'>;

const PROBLEMS: Record<LinkProblem, { readonly title: string; readonly detail: string }> = {
  used: { title: 'This link has already been used', detail: 'Each link works once.' },
  expired: { title: 'This link has expired', detail: 'Links in invitations last 7 days and password reset links last 1 hour.' },
  unknown: { title: 'This link is not right', detail: 'Check you copied the whole link from the email.' },
  unavailable: { title: 'This account cannot be used', detail: 'The account this link is for has been switched off, or its organisation no longer has access. Speak to your organisation’s administrator.' },
};

type NextStep = { readonly text: string; readonly action?: { readonly href: string; readonly text: string } };

const RESET: NextStep = { text: 'Ask for a new link.', action: { href: '/app/password-reset', text: 'Ask for a new password reset link' } };

/**
 * What to do next. A person whose invitation was never used cannot ask for a link themselves (a reset goes only to
 * an account with a password); one who used it has a password, so signs in, or resets a forgotten one.
 */
function nextStep(state: Exclude<LinkProblem, 'unavailable'>, purpose: TokenPurpose): NextStep {
  if (purpose === 'password_reset') return RESET;
  if (state === 'used') return { text: 'If you have set your password, sign in. If you have forgotten it, ask for a password reset.', action: { href: '/app/sign-in', text: 'Sign in' } };
  return { text: 'Ask the administrator who invited you to send a new invitation.' };
}

/**
 * The emailed link carries a token; we swap it at once for a short-lived cookie and redirect, so the token
 * leaves the address bar and browser history before the person types anything.
 */
export function registerLinkRoutes(app: FastifyInstance, services: Services): void {
  for (const journey of JOURNEYS) registerJourney(app, services, journey);

  app.get('/app/password-reset', { config: { access: 'anonymous' } }, (_request, reply) => reply.render('auth/password-reset-request.njk', { values: {} }));

  // Per address as well as per account: someone trying address after address is slowed down.
  const resetLimit = { max: 10, timeWindow: 15 * 60 * 1000 };
  app.post('/app/password-reset', { config: { access: 'anonymous', rateLimit: resetLimit } }, async (request, reply) => {
    const form = parseForm(z.object({ email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer').pipe(z.email('Enter an email address in the correct format, like name@example.org')) }), request);
    if (!form.ok) return reply.renderForm('auth/password-reset-request.njk', form.errors, { values: form.values });
    await services.auth.requestPasswordReset(form.data.email, originOfRequest(request));
    return reply.render('auth/password-reset-sent.njk');
  });
}

function registerJourney(app: FastifyInstance, services: Services, journey: LinkJourney): void {
  const anonymous = { config: { access: 'anonymous' as const } };
  const choosePath = `${journey.basePath}/choose`;
  const view = (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.render('auth/choose-password.njk', { heading: journey.heading, action: choosePath, minLength: MIN_PASSWORD_LENGTH, ...extra });

  app.get(`${journey.basePath}/:token`, anonymous, async (request, reply) => {
    const { token } = request.params as { token: string };
    const checked = await services.auth.checkLink(token, journey.purpose);
    if (checked.state !== 'valid') return linkProblem(request, reply, checked.state, journey.purpose);
    reply.setCookie(LINK_COOKIE, token, { path: journey.basePath, httpOnly: true, secure: services.config.cookieSecure, sameSite: 'strict', maxAge: 60 * 60 });
    return reply.redirect(choosePath, 303);
  });

  app.get(choosePath, anonymous, async (request, reply) => {
    const token = request.cookies[LINK_COOKIE];
    if (!token) return linkProblem(request, reply, 'unknown', journey.purpose);
    const checked = await services.auth.checkLink(token, journey.purpose);
    if (checked.state !== 'valid') return linkProblem(request, reply, checked.state, journey.purpose);
    return view(reply);
  });

  app.post(choosePath, anonymous, async (request, reply) => {
    const token = request.cookies[LINK_COOKIE];
    if (!token) return linkProblem(request, reply, 'unknown', journey.purpose);
    const form = parseForm(newPasswordForm, request);
    if (!form.ok) return view(reply.code(400), { errors: form.errors });
    const outcome = await services.auth.setPasswordFromLink(token, journey.purpose, form.data.password, originOfRequest(request));
    if (outcome.kind === 'easy-to-guess') return view(reply.code(400), { errors: singleError('password', outcome.message) });
    if (outcome.kind !== 'ok') return linkProblem(request, reply, outcome.kind, journey.purpose);
    reply.clearCookie(LINK_COOKIE, { path: journey.basePath });
    const sessionToken = await services.auth.startSessionAfterLink(outcome.userId, originOfRequest(request));
    setSessionCookie(reply, services, sessionToken);
    const hasAuthenticator = await services.users.hasAuthenticator(outcome.userId);
    return reply.redirect(hasAuthenticator ? '/app/sign-in/code' : '/app/sign-in/set-up-authenticator', 303);
  });
}

function linkProblem(request: FastifyRequest, reply: FastifyReply, state: LinkProblem, purpose: TokenPurpose) {
  const problem = PROBLEMS[state];
  const next = state === 'unavailable' ? undefined : nextStep(state, purpose);
  return reply.code(410).render('error.njk', {
    layout: 'layouts/professional.njk',
    title: problem.title,
    detail: next ? `${problem.detail} ${next.text}` : problem.detail,
    ...(next?.action ? { action: next.action } : {}),
    reference: request.id,
  });
}
