import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';

/**
 * The inline scripts of a page that its own Content-Security-Policy would block, as a browser decides: allowed only
 * with the answer's nonce or with the hash of the script's text listed in script-src.
 */
export function blockedInlineScripts(response: LightMyRequestResponse): string[] {
  const scriptSrc = /script-src ([^;]+)/.exec(String(response.headers['content-security-policy']))?.[1] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  return [...response.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes = '', text = '']) => {
      const byNonce = nonce !== undefined && attributes.includes(`nonce="${nonce}"`);
      const byHash = scriptSrc.includes(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
      return !byNonce && !byHash;
    })
    .map(([script = '']) => script);
}
