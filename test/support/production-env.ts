import { randomBytes } from 'node:crypto';

/** What an operator sets for production: every secret their own, https, no demo data. */
export function productionEnv(): Record<string, string> {
  const key = () => randomBytes(32).toString('base64');
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: `k1:${key()}`,
    BLIND_INDEX_KEY: key(),
    AUDIT_KEYS: `a1:${key()}`,
    SEED_DEMO: 'false',
    BASE_URL: 'https://partnership.invalid',
  };
}
