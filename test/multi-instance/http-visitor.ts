/**
 * A person's browser over real HTTP (not app.inject): keeps cookies and the CSRF token of the last form it saw,
 * and does not follow redirects, so the test sees each step. Cookies are sent to any of the instances, as a
 * browser would behind one load balancer address.
 */
export class HttpVisitor {
  private readonly jar = new Map<string, string>();
  lastCsrf = '';

  async get(url: string): Promise<{ status: number; location: string | null; body: string }> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<{ status: number; location: string | null; body: string }> {
    const body = new URLSearchParams({ ...form, _csrf: this.lastCsrf });
    return this.send(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private async send(url: string, init: RequestInit): Promise<{ status: number; location: string | null; body: string }> {
    const cookie = [...this.jar].map(([key, value]) => `${key}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) } });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const [name = '', ...value] = pair.split('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute)) || value.join('=') === '';
      if (expired) this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value.join('='));
    }
    const body = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (csrf) this.lastCsrf = csrf;
    return { status: response.status, location: response.headers.get('location'), body };
  }
}
