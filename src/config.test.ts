import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { productionEnv } from '../test/support/production-env.js';
import { ConfigError, loadConfig, misspeltSettings } from './config.js';

const production = productionEnv;

describe('configuration from the environment', () => {
  it('starts on the embedded defaults with nothing set', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', SEED_DEMO: true, cookieSecure: false });
  });

  it('names an invalid value and what is wrong with it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SURFACES: 'pubic' })).toThrow(/SURFACES/);
    // In an operator's words, not the validator's.
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT: must be a number');
    expect(() => loadConfig({ SURFACES: 'public,staff' })).toThrow('SURFACES: must be one of: public, professional');
    expect(() => loadConfig({ VIDEO_UPLOAD_MAX_MB: '0' })).toThrow('VIDEO_UPLOAD_MAX_MB: must be at least 1');
    expect(() => loadConfig({ JOBS: 'maybe' })).toThrow(/JOBS: must be one of: .*true, false/);
  });

  it('starts in production only with its own secrets, Secure cookies, an https address and no demo data', () => {
    expect(loadConfig(production())).toMatchObject({ cookieSecure: true, SEED_DEMO: false });
    const refusals: Array<[Record<string, string | undefined>, RegExp]> = [
      [{ SESSION_SECRET: undefined }, /SESSION_SECRET must be set to your own secret/],
      [{ ENCRYPTION_KEYS: undefined }, /ENCRYPTION_KEYS must be set/],
      [{ BLIND_INDEX_KEY: undefined }, /BLIND_INDEX_KEY must be set/],
      [{ AUDIT_KEYS: undefined }, /AUDIT_KEYS must be set/],
      [{ COOKIE_SECURE: 'false' }, /COOKIE_SECURE must not be false/],
      [{ SEED_DEMO: 'true' }, /SEED_DEMO must be false/],
      [{ BASE_URL: 'http://dap.example.org' }, /BASE_URL must be set to the https:\/\/ address/],
      [{ SESSION_SECRET: 'dev-only-session-secret-change-me-0000000001' }, /SESSION_SECRET must be set to your own secret/],
      [{ SESSION_SECRET: 'DEV-ONLY-SESSION-SECRET-CHANGE-ME-0000000000' }, /SESSION_SECRET must be set to your own secret/],
      [{ SESSION_SECRET: 'b'.repeat(40) }, /SESSION_SECRET must be random/],
      [{ ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` }, /ENCRYPTION_KEYS must be random keys/],
      [{ BLIND_INDEX_KEY: Buffer.alloc(32, 7).toString('base64') }, /BLIND_INDEX_KEY must be random keys/],
      // A short key is a copying mistake, and said to be one (rather than called a pattern).
      [{ ENCRYPTION_KEYS: 'k1:AAAA' }, /ENCRYPTION_KEYS keys must be 32 bytes/],
      [{ BLIND_INDEX_KEY: randomBytes(16).toString('base64') }, /BLIND_INDEX_KEY keys must be 32 bytes/],
      [{ AUDIT_KEYS: `a1:${Buffer.alloc(32, 3).toString('base64')}` }, /AUDIT_KEYS must be random keys/],
    ];
    for (const [change, message] of refusals) expect(() => loadConfig({ ...production(), ...change })).toThrow(message);
    // Random secrets in a small alphabet are still random.
    for (const secret of [randomBytes(16).toString('hex'), '40718263954071826395407182639540']) expect(() => loadConfig({ ...production(), SESSION_SECRET: secret })).not.toThrow();
    const shared = production();
    expect(() => loadConfig({ ...shared, BLIND_INDEX_KEY: shared['ENCRYPTION_KEYS']?.split(':')[1] })).toThrow(/BLIND_INDEX_KEY must differ from every key in ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ...shared, AUDIT_KEYS: `a1:${String(shared['BLIND_INDEX_KEY'])}` })).toThrow(/AUDIT_KEYS must differ from every key in ENCRYPTION_KEYS and BLIND_INDEX_KEY/);
    for (const key of [shared['ENCRYPTION_KEYS']?.split(':')[1], shared['BLIND_INDEX_KEY'], shared['AUDIT_KEYS']?.split(':')[1]]) {
      expect(() => loadConfig({ ...shared, SESSION_SECRET: key })).toThrow(/SESSION_SECRET must differ from every key/);
    }
  });

  it('warns of a variable that looks like a misspelt setting, and of none of the usual environment', () => {
    expect(misspeltSettings({ DATABSE_URL: 'postgres://x', PROT: '80', port: '80' })).toEqual([
      'DATABSE_URL is not a setting of this service: did you mean DATABASE_URL? It has been ignored.',
      'PROT is not a setting of this service: did you mean PORT? It has been ignored.',
      'port is not a setting of this service: did you mean PORT? It has been ignored.',
    ]);
    const usual = ['PATH', 'HOME', 'HOSTNAME', 'USER', 'SHELL', 'TERM', 'LANG', 'PWD', 'TMPDIR', 'TZ', 'NODE_OPTIONS', 'NODE_PATH', 'PGHOST', 'PGPORT', 'PGUSER', 'CI', 'DEBUG'];
    expect(misspeltSettings(Object.fromEntries(usual.map((name) => [name, 'x'])))).toEqual([]);
  });
});
