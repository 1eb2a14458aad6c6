import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../../services.js';
import { UserFacingError } from '../../http/errors.js';
import { originOfRequest, parseForm } from '../../http/forms.js';
import { singleError, type FormErrors } from '../../views/form-errors.js';
import { isLocalHttp } from '../oidc-client.js';
import type { SsoSettingsView } from '../oidc-settings.js';
import { formVersion } from '../../db/versioning.js';

const NOTICES = { saved: 'Single sign-on settings saved', removed: 'Single sign-on turned off' } as const;
const STALE = 'Someone else changed this organisation while you were editing it, so your changes were not saved. The form now shows the latest settings: make your changes again.';

function settingsForm(allowLocalHttp: boolean, secretRequired: boolean) {
  return z.object({
    issuer: z
      .string()
      .trim()
      .min(1, 'Enter the issuer URL')
      .max(500, 'The issuer URL must be 500 characters or fewer')
      .pipe(z.url({ message: 'Enter the issuer URL in the correct format, like https://login.example.org' }))
      .refine((issuer) => issuer.startsWith('https://') || (allowLocalHttp && isLocalHttp(issuer)), 'The issuer URL must start with https://')
      .refine((issuer) => !issuer.includes('?') && !issuer.includes('#'), 'The issuer URL must not have a ? or # part'),
    clientId: z.string().trim().min(1, 'Enter the client ID').max(255, 'The client ID must be 255 characters or fewer'),
    clientSecret: z
      .string()
      .max(500, 'The client secret must be 500 characters or fewer')
      .optional()
      .transform((secret) => (secret?.trim() ? secret.trim() : undefined))
      .refine((secret) => !secretRequired || secret !== undefined, 'Enter the client secret'),
    version: formVersion,
  });
}

const removeForm = z.object({ version: formVersion });

function organisationIdOf(request: FastifyRequest): string {
  const id = (request.params as { organisationId?: unknown }).organisationId;
  return typeof id === 'string' ? id : '';
}

function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

export function ssoSettingsPath(organisationId: string): string {
  return `/app/admin/organisations/${organisationId}/single-sign-on`;
}

/** System administrators set up single sign-on for an organisation (OpenID Connect). */
export function registerSsoSettingsRoutes(app: FastifyInstance, services: Services): void {
  const { ssoSettings } = services;
  const manage = { config: { access: 'organisations.manage' as const } };
  const allowLocalHttp = services.config.NODE_ENV !== 'production';
  const PAGE = '/app/admin/organisations/:organisationId/single-sign-on';

  async function load(request: FastifyRequest): Promise<SsoSettingsView> {
    const settings = await ssoSettings.get(organisationIdOf(request));
    if (!settings) throw new UserFacingError(404, 'There is no organisation at this address.', 'Organisation not found');
    return settings;
  }

  function show(reply: FastifyReply, settings: SsoSettingsView, values: Record<string, unknown>, errors?: FormErrors) {
    return reply.render('auth/sso-settings.njk', { settings, values: { version: settings.organisation.version, ...values }, errors });
  }

  app.get(PAGE, manage, async (request, reply) => {
    const settings = await load(request);
    const notice = (request.query as { notice?: unknown }).notice;
    return reply.render('auth/sso-settings.njk', {
      settings,
      values: { issuer: settings.issuer ?? '', clientId: settings.clientId ?? '', version: settings.organisation.version },
      notice: typeof notice === 'string' && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : undefined,
    });
  });

  app.post(PAGE, manage, async (request, reply) => {
    const settings = await load(request);
    const parsed = parseForm(settingsForm(allowLocalHttp, !settings.hasSecret), request);
    if (!parsed.ok) return show(reply.code(400), settings, parsed.values, parsed.errors);
    const { version, ...input } = parsed.data;
    const outcome = await ssoSettings.save(actorOf(request), settings.organisation.id, version, input, originOfRequest(request));
    const values = { issuer: input.issuer, clientId: input.clientId, version };
    switch (outcome.kind) {
      case 'ok':
        return reply.redirect(`${ssoSettingsPath(settings.organisation.id)}?notice=saved`, 303);
      case 'stale': {
        const latest = await load(request);
        return show(reply.code(409), latest, { issuer: latest.issuer ?? '', clientId: latest.clientId ?? '' }, { summary: [{ text: STALE, href: '#issuer' }], byField: {} });
      }
      case 'secret-required':
        return show(reply.code(400), settings, values, singleError('clientSecret', 'Enter the client secret'));
      case 'insecure':
        return show(reply.code(400), settings, values, singleError('issuer', 'The issuer URL must start with https://'));
      case 'unreachable':
        return show(
          reply.code(400),
          settings,
          values,
          singleError('issuer', `We could not read the sign-in service’s settings at ${input.issuer.replace(/\/$/, '')}/.well-known/openid-configuration. Check the issuer URL, and that this platform can reach it.`),
        );
    }
  });

  app.get(`${PAGE}/remove`, manage, async (request, reply) => {
    const settings = await load(request);
    if (!settings.enabled) return reply.redirect(ssoSettingsPath(settings.organisation.id), 303);
    return reply.render('auth/sso-remove.njk', { settings });
  });

  app.post(`${PAGE}/remove`, manage, async (request, reply) => {
    const settings = await load(request);
    const parsed = parseForm(removeForm, request);
    const outcome = parsed.ok ? await ssoSettings.remove(actorOf(request), settings.organisation.id, parsed.data.version, originOfRequest(request)) : 'stale';
    if (outcome === 'stale') {
      return reply.code(409).render('auth/sso-remove.njk', { settings, errors: { summary: [{ text: STALE.replace('The form now shows the latest settings: make your changes again.', 'Check the settings and try again.'), href: '#remove' }], byField: {} } });
    }
    return reply.redirect(`${ssoSettingsPath(settings.organisation.id)}?notice=removed`, 303);
  });
}
