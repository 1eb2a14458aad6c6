import { z } from 'zod';
import { findUserRowByEmail } from '../access/users.js';
import type { AuditService } from '../audit/service.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import { createTimedSeal } from '../crypto/timed-seal.js';
import type { Db } from '../db/database.js';
import { ProviderError, type FlowSecrets, type OidcClient, type ProviderFailure, type ProviderSettings } from './oidc-client.js';
import { findOrganisationBySlug, listSsoOrganisations, type OrganisationRow } from './oidc-repository.js';
import { ssoCallbackPath } from './oidc-settings.js';
import { originOf, type RequestOrigin } from './service.js';
import type { SessionStore } from './sessions.js';

/** What a sealed sign-in flow is for: it opens for nothing else (see FieldCrypto.seal). */
const SSO_FLOW = 'sso-flow';

/** How long someone has at their organisation's provider before the flow cookie stops being accepted. */
export const FLOW_LIFETIME_MS = 10 * 60 * 1000;

export type SsoRefusal =
  | 'not-configured'
  | 'flow-missing'
  | ProviderFailure
  | 'email-not-verified'
  | 'no-account'
  | 'other-organisation'
  | 'account-not-active';

export type SsoStart =
  | { readonly kind: 'redirect'; readonly url: string; readonly sealedFlow: string }
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'provider-unreachable'; readonly organisationName: string };

export type SsoFinish =
  | { readonly kind: 'ok'; readonly token: string; readonly needsAuthenticatorSetUp: boolean }
  | { readonly kind: 'refused'; readonly reason: SsoRefusal; readonly organisationName: string | undefined };

export interface SsoSignInDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly sessions: SessionStore;
  readonly client: OidcClient;
  readonly baseUrl: string;
  readonly clock: () => Date;
}

const flowSchema = z.object({ slug: z.string(), state: z.string(), nonce: z.string(), verifier: z.string() });

/**
 * Single sign-on through an organisation's OpenID Connect provider, as a first factor only: it proves who someone
 * is in place of their password, then the platform's own authenticator code is still required.
 */
export function createSsoSignIn(deps: SsoSignInDeps) {
  const { db, crypto, audit, sessions, client, clock } = deps;
  // The flow secrets are sealed, so the browser can carry them but neither read nor alter them.
  const flows = createTimedSeal(crypto, { purpose: SSO_FLOW, schema: flowSchema, lifetimeMs: FLOW_LIFETIME_MS, clock });

  function settingsOf(organisation: OrganisationRow): ProviderSettings | undefined {
    if (organisation.active !== 1 || !organisation.sso_issuer || !organisation.sso_client_id || !organisation.sso_client_secret_enc) return undefined;
    return { issuer: organisation.sso_issuer, clientId: organisation.sso_client_id, clientSecret: crypto.decrypt(organisation.sso_client_secret_enc) };
  }

  /** Settings change the version, so a cached provider configuration never outlives the settings it came from. */
  const cacheKey = (organisation: OrganisationRow) => `${organisation.id}:${String(organisation.version)}`;
  const redirectUri = (slug: string) => `${deps.baseUrl}${ssoCallbackPath(slug)}`;

  /** This organisation's flow, while it lasts. */
  function unseal(sealed: string | undefined, slug: string): FlowSecrets | undefined {
    const flow = sealed ? flows.open(sealed)?.value : undefined;
    return flow?.slug === slug ? flow : undefined;
  }

  async function refuse(reason: SsoRefusal, organisation: OrganisationRow | undefined, origin: RequestOrigin, extra: { userId?: string; code?: string | undefined } = {}): Promise<SsoFinish> {
    await audit.record({
      action: 'SIGN_IN_SSO_FAILED',
      outcome: 'failure',
      actorUserId: extra.userId,
      details: { reason, organisation: organisation?.slug ?? null, ...(extra.code ? { providerCode: extra.code } : {}) },
      ...originOf(origin),
    });
    return { kind: 'refused', reason, organisationName: organisation?.name };
  }

  return {
    async organisationsForSignIn(): Promise<Array<{ slug: string; name: string }>> {
      return listSsoOrganisations(db.kysely);
    },

    async start(slug: string): Promise<SsoStart> {
      const organisation = await findOrganisationBySlug(db.kysely, slug);
      const settings = organisation ? settingsOf(organisation) : undefined;
      if (!organisation || !settings) return { kind: 'not-configured' };
      try {
        const { url, secrets } = await client.authorizationUrl(cacheKey(organisation), settings, redirectUri(slug));
        const sealed = flows.seal({ slug, ...secrets });
        return { kind: 'redirect', url: url.href, sealedFlow: sealed };
      } catch (error: unknown) {
        if (error instanceof ProviderError) return { kind: 'provider-unreachable', organisationName: organisation.name };
        throw error;
      }
    },

    /** Checks everything the provider sent back, then finds the active account of THAT organisation by verified email. */
    async finish(slug: string, query: URLSearchParams, flowCookie: string | undefined, previousSessionId: string | undefined, origin: RequestOrigin): Promise<SsoFinish> {
      const organisation = await findOrganisationBySlug(db.kysely, slug);
      const settings = organisation ? settingsOf(organisation) : undefined;
      if (!organisation || !settings) return refuse('not-configured', organisation, origin);
      const secrets = unseal(flowCookie, slug);
      if (!secrets) return refuse('flow-missing', organisation, origin);

      const callbackUrl = new URL(redirectUri(slug));
      for (const [key, value] of query) callbackUrl.searchParams.append(key, value);
      let identity;
      try {
        identity = await client.complete(cacheKey(organisation), settings, callbackUrl, secrets);
      } catch (error: unknown) {
        if (error instanceof ProviderError) return refuse(error.failure, organisation, origin, { code: error.code });
        throw error;
      }
      if (!identity.email || !identity.emailVerified) return refuse('email-not-verified', organisation, origin);

      const user = await findUserRowByEmail(db.kysely, crypto, identity.email);
      if (!user) return refuse('no-account', organisation, origin);
      if (user.organisation_id !== organisation.id) return refuse('other-organisation', organisation, origin, { userId: user.id });
      if (user.status !== 'active') return refuse('account-not-active', organisation, origin, { userId: user.id });

      const token = await sessions.rotate(previousSessionId, user.id, 'password', origin.ip);
      await audit.record({
        action: 'SIGN_IN_SSO',
        actorUserId: user.id,
        actorOrganisationId: user.organisation_id,
        details: { organisation: organisation.slug },
        ...originOf(origin),
      });
      return { kind: 'ok', token, needsAuthenticatorSetUp: user.totp_secret_enc === null };
    },
  };
}

export type SsoSignIn = ReturnType<typeof createSsoSignIn>;
