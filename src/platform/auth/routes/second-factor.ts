import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Services } from '../../../services.js';
import { originOfRequest, parseForm } from '../../http/forms.js';
import { singleError } from '../../views/form-errors.js';
import type { SecondFactorOutcome } from '../service.js';
import { totpUri } from '../totp.js';
import { lockedMessage, lockedOut, setSessionCookie, signInAgain } from './sign-in.js';

export const authenticatorCodeForm = z.object({
  code: z.string({ error: 'Enter the 6-digit code from your authenticator app' }).trim().min(1, 'Enter the 6-digit code from your authenticator app').regex(/^\d{3}\s?\d{3}$/, 'The code must be 6 digits, like 123456'),
});
export const CODE_MESSAGES = {
  invalid: 'The code is not right. Check your authenticator app and enter the code it shows now.',
  replayed: 'That code has already been used. Wait for your authenticator app to show a new code and enter that.',
} as const;
const recoveryForm = z.object({
  code: z.string({ error: 'Enter one of your recovery codes' }).trim().min(1, 'Enter one of your recovery codes').max(20, 'A recovery code is 10 letters and numbers, like ABCDE-23456'),
});
const setUpForm = authenticatorCodeForm.extend({ sealed: z.string().min(1).max(400) });

export function registerSecondFactorRoutes(app: FastifyInstance, services: Services): void {
  const { auth } = services;
  // Each account has one second-factor page: set up an authenticator, or enter its code (or a recovery code). The
  // other answers with the right one, rather than a form that can only say "the code is not right".
  const toOwnPage = (wants: 'set-up' | 'code') => async (request: FastifyRequest, reply: FastifyReply) => {
    const hasAuthenticator = await services.users.hasAuthenticator(sessionOf(request).userId);
    if (hasAuthenticator !== (wants === 'code')) return reply.redirect(hasAuthenticator ? '/app/sign-in/code' : '/app/sign-in/set-up-authenticator', 303);
  };
  const stage = { config: { access: 'password-stage' as const }, preHandler: toOwnPage('code') };
  const setUpStage = { config: { access: 'password-stage' as const }, preHandler: toOwnPage('set-up') };

  app.get('/app/sign-in/code', stage, (request, reply) => reply.render('auth/code.njk', { viaSso: (request.query as { via?: unknown }).via === 'sso' }));

  app.post('/app/sign-in/code', stage, async (request, reply) => {
    const form = parseForm(authenticatorCodeForm, request);
    if (!form.ok) return reply.renderForm('auth/code.njk', form.errors);
    const { userId, id } = sessionOf(request);
    const outcome = await auth.verifyAuthenticatorCode(userId, id, form.data.code, originOfRequest(request));
    return finish(request, reply, services, outcome, 'auth/code.njk', CODE_MESSAGES);
  });

  app.get('/app/sign-in/recovery-code', stage, (_request, reply) => reply.render('auth/recovery-code.njk'));

  app.post('/app/sign-in/recovery-code', stage, async (request, reply) => {
    const form = parseForm(recoveryForm, request);
    if (!form.ok) return reply.renderForm('auth/recovery-code.njk', form.errors);
    const { userId, id } = sessionOf(request);
    const outcome = await auth.useRecoveryCode(userId, id, form.data.code, originOfRequest(request));
    return finish(request, reply, services, outcome, 'auth/recovery-code.njk', {
      invalid: 'That recovery code is not right or has already been used. Each code works once.',
      replayed: 'That recovery code has already been used. Each code works once.',
    });
  });

  app.get('/app/sign-in/set-up-authenticator', setUpStage, async (request, reply) => {
    const { secret, sealed } = auth.newAuthenticatorSecret();
    return reply.render('auth/set-up-authenticator.njk', await setUpContext(secret, sealed, request));
  });

  app.post('/app/sign-in/set-up-authenticator', setUpStage, async (request, reply) => {
    const form = parseForm(setUpForm, request);
    const sealed = typeof (request.body as { sealed?: unknown } | undefined)?.sealed === 'string' ? (request.body as { sealed: string }).sealed : '';
    // A wrong code keeps the secret the app was given, so nobody has to scan again; a secret that will not open is replaced.
    const kept = auth.authenticatorSecretBeingSetUp(sealed);
    const again = async (errors: ReturnType<typeof singleError>) => {
      const shown = kept ?? auth.newAuthenticatorSecret();
      return reply.code(400).render('auth/set-up-authenticator.njk', { ...(await setUpContext(shown.secret, shown.sealed, request)), errors });
    };
    if (!form.ok) return again(form.errors);
    const { userId, id } = sessionOf(request);
    const outcome = await auth.confirmAuthenticator(userId, id, sealed, form.data.code, originOfRequest(request));
    if (outcome.kind === 'ended') return signInAgain(reply, services);
    if (outcome.kind === 'invalid') {
      return again(
        singleError('code', kept ? 'The code is not right. Enter the code your app shows now for this account. If it still does not work, check that the time on your phone is right.' : 'The code is not right. Scan the new QR code below, then enter the code your app shows.'),
      );
    }
    setSessionCookie(reply, services, outcome.token);
    return reply.render('auth/recovery-codes.njk', { codes: outcome.recoveryCodes, continueHref: '/app' });
  });
}

/** Back to the page whose form was kept when this person's session ended, if there is one. */
async function keptFormPath(request: FastifyRequest, services: Services): Promise<string | undefined> {
  const token = request.cookies[services.sessionCookie.keptFormName];
  const userId = request.session?.userId;
  return token && userId ? services.keptForms.pathFor(token, userId) : undefined;
}

function sessionOf(request: FastifyRequest): { userId: string; id: string } {
  const session = request.session;
  if (!session) throw new Error('password-stage route reached without a session');
  return { userId: session.userId, id: session.id };
}

async function setUpContext(secret: string, sealed: string, request: FastifyRequest) {
  const label = request.session?.userId.slice(-8) ?? 'account';
  const qrSvg = await QRCode.toString(totpUri(secret, label), { type: 'svg', margin: 1, width: 200 });
  return { secret: secret.replace(/(.{4})/g, '$1 ').trim(), sealed, qrSvg };
}

async function finish(request: FastifyRequest, reply: FastifyReply, services: Services, outcome: SecondFactorOutcome, template: string, messages: { invalid: string; replayed: string }) {
  if (outcome.kind === 'ok') {
    setSessionCookie(reply, services, outcome.token);
    return reply.redirect((await keptFormPath(request, services)) ?? '/app', 303);
  }
  if (outcome.kind === 'ended') return signInAgain(reply, services);
  if (outcome.kind === 'locked') return lockedOut(reply, outcome.retryAfterSeconds).render(template, { errors: singleError('code', lockedMessage(outcome.retryAfterSeconds)) });
  return reply.renderForm(template, singleError('code', messages[outcome.kind]));
}
