import { createHash, randomBytes } from 'node:crypto';

/** A random secret to hand out once; only its hash is kept. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
