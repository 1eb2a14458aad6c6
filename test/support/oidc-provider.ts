import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdentity {
  readonly email?: string;
  readonly email_verified?: boolean;
}

export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * Plays the person's browser at the provider: follows the authorization URL, signs in as `accountId` on the
   * provider's own login form and consents, and returns the URL the provider sends the browser back to.
   */
  signInAt(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** A real OpenID Connect provider (node-oidc-provider) on a free local port, with the accounts the test names. */
export async function startTestOidcProvider(options: { redirectUris: string[]; accounts: Record<string, TestIdentity> }): Promise<TestOidcProvider> {
  let handler: http.RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server = http.createServer((request, response) => {
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const clientId = 'partnership-platform-test';
  const clientSecret = 'test-only-client-secret-0123456789abcdef';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic' }],
    findAccount: (_context, id) => {
      const identity = options.accounts[id];
      return identity ? { accountId: id, claims: () => ({ sub: id, ...identity }) } : undefined;
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-only-cookie-signing-key'] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  handler = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    async signInAt(authorizationUrl, accountId) {
      const jar = new Map<string, string>();
      const request = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: [...jar].map(([key, value]) => `${key}=${value}`).join('; ') } });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';');
          const [name = '', ...value] = pair.split('=');
          jar.set(name.trim(), value.join('='));
        }
        return response;
      };
      let url = authorizationUrl;
      for (let step = 0; step < 12; step += 1) {
        if (!url.startsWith(issuer)) return new URL(url);
        const response = await request(url);
        const location = response.headers.get('location');
        if (location) {
          url = new URL(location, url).href;
          continue;
        }
        const page = await response.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        if (response.status !== 200 || !prompt) throw new Error(`Unexpected page at the provider (${String(response.status)}): ${page.slice(0, 300)}`);
        const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: accountId, password: 'any' } : {}) });
        const submitted = await request(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        const next = submitted.headers.get('location');
        if (!next) throw new Error(`The provider did not accept the ${prompt} form (${String(submitted.status)})`);
        url = new URL(next, url).href;
      }
      throw new Error('Too many steps at the provider');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
