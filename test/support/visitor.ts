import type { Readable } from 'node:stream';
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD, DEMO_PERSONAS } from '../../src/platform/seed/demo-users.js';
import type { TestPlatform } from './platform.js';

/**
 * A person using the service through app.inject: keeps cookies like a browser and reads the CSRF token from
 * each form, so tests exercise the real security checks rather than switching them off.
 */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  lastCsrf = '';

  /**
   * `remoteAddress` stands for the visitor's IP address (the sign-in limits count per address); `sentHeaders` go with
   * every request (what a proxy in front adds, say).
   */
  constructor(
    private readonly app: FastifyInstance,
    private readonly remoteAddress = '127.0.0.1',
    private readonly sentHeaders: Readonly<Record<string, string>> = {},
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: this.headers(), remoteAddress: this.remoteAddress });
    this.absorb(response);
    return response;
  }

  /** Posts a form with the CSRF token from the last page fetched (unless the test supplies its own). */
  async post(url: string, form: Record<string, string | string[]>, options: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.absorb(response);
    return response;
  }

  /** Any method and raw body, with this visitor's cookies: for the security suites' generated requests. */
  async request(method: HTTPMethods, url: string, options: { payload?: string | Buffer | Readable; contentType?: string; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers(), ...(options.contentType ? { 'content-type': options.contentType } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    this.absorb(response);
    return response;
  }

  /** Holds a cookie as if the server had set it (e.g. a session the test made directly). */
  useCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private headers(): Record<string, string> {
    return this.cookies.size ? { ...this.sentHeaders, cookie: [...this.cookies].map(([key, value]) => `${key}=${value}`).join('; ') } : { ...this.sentHeaders };
  }

  private absorb(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      const expired = cookie.maxAge === 0 || (cookie.expires instanceof Date && cookie.expires.getTime() < Date.now());
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.lastCsrf = match[1];
  }
}

export function persona(email: string) {
  const found = DEMO_PERSONAS.find((candidate) => candidate.email === email);
  if (!found) throw new Error(`No demo persona ${email}`);
  return found;
}

/**
 * Signs a demo persona in with password and authenticator code, as a person would. A test may sign the same
 * person in twice within one 30-second step; the replay guard would rightly refuse that, so it is reset first.
 */
export async function signIn(platform: TestPlatform, email: string, at: Date = new Date(), totpSecret = persona(email).totpSecret): Promise<Visitor> {
  const visitor = new Visitor(platform.app);
  const landing = await signInOn(visitor, platform, email, at, totpSecret);
  if (landing !== '/app') throw new Error(`Code step for ${email} went to ${landing}`);
  return visitor;
}

/** Signs in on this visitor's browser (its cookies kept) and says where the code step sent them. */
export async function signInOn(visitor: Visitor, platform: TestPlatform, email: string, at: Date = new Date(), totpSecret = persona(email).totpSecret): Promise<string> {
  const { services } = platform;
  const user = await services.users.findByEmail(email);
  if (user) await services.db.kysely.updateTable('users').set({ totp_last_step: null }).where('id', '=', user.id).execute();
  await visitor.get('/app/sign-in');
  const first = await visitor.post('/app/sign-in', { email, password: DEMO_PASSWORD });
  if (first.headers.location !== '/app/sign-in/code') throw new Error(`Password step failed for ${email}: ${String(first.statusCode)}`);
  await visitor.get('/app/sign-in/code');
  const second = await visitor.post('/app/sign-in/code', { code: currentTotpCode(totpSecret, at) });
  if (second.statusCode !== 303) throw new Error(`Code step failed for ${email}: ${String(second.statusCode)}`);
  return String(second.headers.location);
}

/** As if this person's sessions had seen nothing for 31 minutes: the next request finds them timed out. */
export async function idleFor31Minutes(platform: TestPlatform, email: string): Promise<void> {
  const user = await platform.services.users.findByEmail(email);
  await platform.services.db.kysely.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).where('user_id', '=', user?.id ?? '').execute();
}
