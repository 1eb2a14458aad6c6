import * as oidc from 'openid-client';

export interface ProviderSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What travels, sealed, in the short-lived flow cookie between leaving for the provider and coming back. */
export interface FlowSecrets {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

export interface ProviderIdentity {
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
}

export type ProviderFailure = 'provider-unreachable' | 'provider-refused' | 'response-invalid' | 'token-refused';

/** The provider could not be used, or what it sent back failed a check. `code` is an OAuth error code at most. */
export class ProviderError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`OpenID Connect ${failure}${code ? ` (${code})` : ''}`, options);
  }
}

/** Only the minimum: we need to know who the person is by their verified email, nothing else. */
export const SSO_SCOPE = 'openid email';
const CACHE_MS = 60 * 60 * 1000;

/** Plain http is accepted for a provider on this machine outside production (a developer's or a test's own provider). */
export function isLocalHttp(issuer: string): boolean {
  // Zod runs this refinement even when the URL check before it failed, so it must cope with any text.
  if (!URL.canParse(issuer)) return false;
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * OpenID Connect relying party (authorization code flow with PKCE, state and nonce) over openid-client. Provider
 * metadata is discovered once per organisation settings version and kept for an hour.
 */
export function createOidcClient(options: { allowLocalHttp: boolean }) {
  const cache = new Map<string, { readonly at: number; readonly configuration: Promise<oidc.Configuration> }>();

  async function discover(settings: ProviderSettings): Promise<oidc.Configuration> {
    const local = isLocalHttp(settings.issuer);
    if (new URL(settings.issuer).protocol !== 'https:' && !(local && options.allowLocalHttp)) {
      throw new ProviderError('provider-unreachable', 'insecure-issuer');
    }
    // Deprecated only as a warning sign: it is allowed here solely for a provider on this machine outside production.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const execute = local ? [oidc.allowInsecureRequests] : [];
    try {
      const found = await oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), { execute });
      const methods = found.serverMetadata().token_endpoint_auth_methods_supported;
      if (!methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) return found;
      // The provider takes the secret only in the form body.
      const configuration = new oidc.Configuration(found.serverMetadata(), settings.clientId, undefined, oidc.ClientSecretPost(settings.clientSecret));
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above: a local provider outside production only
      if (local) oidc.allowInsecureRequests(configuration);
      return configuration;
    } catch (error: unknown) {
      throw new ProviderError('provider-unreachable', undefined, { cause: error });
    }
  }

  function configurationFor(cacheKey: string, settings: ProviderSettings): Promise<oidc.Configuration> {
    const cached = cache.get(cacheKey);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.configuration;
    const configuration = discover(settings);
    cache.set(cacheKey, { at: Date.now(), configuration });
    configuration.catch(() => cache.delete(cacheKey));
    return configuration;
  }

  return {
    /** Reads the provider's discovery document: used to check settings before they are saved. */
    async check(settings: ProviderSettings): Promise<void> {
      await discover(settings);
    },

    async authorizationUrl(cacheKey: string, settings: ProviderSettings, redirectUri: string): Promise<{ url: URL; secrets: FlowSecrets }> {
      const configuration = await configurationFor(cacheKey, settings);
      const secrets = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: SSO_SCOPE,
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(secrets.verifier),
        code_challenge_method: 'S256',
        state: secrets.state,
        nonce: secrets.nonce,
      });
      return { url, secrets };
    },

    /** Checks the response (state, issuer), swaps the code (PKCE) and validates the ID token (signature, audience, nonce). */
    async complete(cacheKey: string, settings: ProviderSettings, callbackUrl: URL, secrets: FlowSecrets): Promise<ProviderIdentity> {
      const configuration = await configurationFor(cacheKey, settings);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
          pkceCodeVerifier: secrets.verifier,
          expectedState: secrets.state,
          expectedNonce: secrets.nonce,
          idTokenExpected: true,
        });
      } catch (error: unknown) {
        throw classify(error);
      }
      const claims = tokens.claims();
      if (!claims) throw new ProviderError('response-invalid', 'no-id-token');
      let source: Record<string, unknown> = claims;
      // Many providers put email only in the UserInfo response when an access token is issued (OIDC core 5.4).
      if (typeof claims['email'] !== 'string' && configuration.serverMetadata().userinfo_endpoint) {
        try {
          source = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        } catch (error: unknown) {
          throw classify(error);
        }
      }
      return {
        subject: claims.sub,
        email: typeof source['email'] === 'string' ? source['email'] : undefined,
        emailVerified: source['email_verified'] === true,
      };
    },
  };
}

function classify(error: unknown): ProviderError {
  if (error instanceof oidc.AuthorizationResponseError) return new ProviderError('provider-refused', safeCode(error.error), { cause: error });
  if (error instanceof oidc.ResponseBodyError) return new ProviderError('token-refused', safeCode(error.error), { cause: error });
  if (error instanceof oidc.ClientError) return new ProviderError('response-invalid', safeCode(error.code), { cause: error });
  return new ProviderError('provider-unreachable', undefined, { cause: error });
}

/** OAuth error codes are short ASCII words; anything else is dropped rather than stored or shown. */
function safeCode(code: string | undefined): string | undefined {
  return code && /^[A-Za-z0-9_.-]{1,60}$/.test(code) ? code : undefined;
}

export type OidcClient = ReturnType<typeof createOidcClient>;
