import path from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** proxy-addr's names for the private ranges a load balancer is usually in: loopback, link-local and unique-local. */
export const PRIVATE_RANGES = ['loopback', 'linklocal', 'uniquelocal'] as const;

function isAddressOrRange(text: string): boolean {
  if ((PRIVATE_RANGES as readonly string[]).includes(text)) return true;
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  // A /0 range is every address on the internet: every hop believed, which the setting never allows.
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Which X-Forwarded-For entries to believe. Never all of them: the left-most is whatever the visitor wrote, so
 * trusting every hop would let anyone choose the address that rate limits, sign-in lockouts and the audit trail see.
 * `true` is one proxy (the load balancer in front); a number is that many; addresses name the proxies themselves.
 */
const trustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((text, context) => {
    if (/^(false|no|0)$/.test(text)) return false;
    if (/^(true|yes)$/.test(text)) return 1;
    if (/^\d+$/.test(text)) return Number(text);
    const proxies = text.split(',').map((part) => part.trim());
    if (proxies.every(isAddressOrRange)) return proxies;
    context.addIssue({ code: 'custom', message: 'use false, true (one proxy in front), the number of proxies in front, or their addresses and ranges separated by commas (like 10.0.0.0/8)' });
    return z.NEVER;
  });

const DEV_SESSION_SECRET = 'dev-only-session-secret-change-me-0000000000';

/**
 * Every setting the platform reads from the environment. Each key documents itself: the README's
 * configuration table is generated from these descriptions (`npm run cli -- config-table`).
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Run mode. `production` turns on the safety checks below.'),
    HOST: z.string().default('127.0.0.1').describe('Address to listen on.'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('Port to listen on.'),
    BASE_URL: z.url().optional().describe('Public address of the site, used in links sent by email. Defaults to http://HOST:PORT.'),
    DATA_DIR: z.string().default('./data').describe('Folder of the embedded default: the SQLite file and the generated keys.'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional()
      .describe('PostgreSQL connection string. When unset, an SQLite file under DATA_DIR is used.'),
    SURFACES: z
      .string()
      .default('public,professional')
      .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['public', 'professional'])).min(1))
      .describe('Which surfaces this instance serves: `public`, `professional` or both.'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SESSION_SECRET).describe('Secret that signs CSRF tokens. Required in production.'),
    ENCRYPTION_KEYS: z
      .string()
      .optional()
      .describe('Field encryption keys as `id:base64key,id:base64key` (32-byte keys); the first encrypts, all decrypt. When unset, a key file under DATA_DIR is created and used (not allowed in production).'),
    BLIND_INDEX_KEY: z.string().optional().describe('Base64 32-byte key for blind indexes (HMAC); during a rotation several, separated by commas: the first indexes, all match. When unset, generated into DATA_DIR (not allowed in production).'),
    AUDIT_KEYS: z
      .string()
      .optional()
      .describe('Keys that seal the audit chain (HMAC), as `id:base64key,id:base64key` (32-byte keys); the first seals new events, all check. One installation\'s own: never shared with another. When unset, one is generated into DATA_DIR (not allowed in production).'),
    AUDIT_UNSEALED_UNTIL: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .describe('With AUDIT_KEYS, on an installation upgraded from a version without audit keys: the number of the last audit event written before the upgrade (the count `audit verify` reported then). Events up to it may carry plain hashes; every later one must be sealed. 0 (the default) for a new installation.'),
    COOKIE_SECURE: bool.optional().describe('Mark cookies Secure (HTTPS only). Defaults to true in production, false otherwise.'),
    TRUST_PROXY: trustProxy.describe('Believe X-Forwarded-For from proxies in front: true for one (a load balancer connecting from a private address), a number for that many, or their addresses and ranges (10.0.0.0/8,192.0.2.7). Never every hop.'),
    SEED_DEMO: bool.default(true).describe('Seed clearly synthetic demo records and sign-ins on start. Must be false in production.'),
    SMTP_URL: z.string().optional().describe('SMTP server for email, e.g. smtp://user:pass@host:587. When unset, messages stay in the outbox and are written to the log without content.'),
    MAIL_FROM: z.string().default('Domestic Abuse Partnership <no-reply@partnership.invalid>').describe('Sender of platform email.'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level (pino).'),
    JOBS: bool.default(true).describe('Run scheduled jobs (outbox, reminders, retention) in this instance.'),
    VIDEO_UPLOAD_MAX_MB: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(100)
      .describe('Largest video file (MB) an editor may upload for the public pages (the BSL page); its captions may be up to 1 MB. An upload is held in memory while it arrives; an instance takes one at a time.'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600).describe('Requests per minute per address before 429 (sign-in has its own back-off and lockout).'),
    OPEN_DATA_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .positive()
      .default(3000)
      .describe('Requests per minute per address to the Open Referral UK API, all its addresses counted together, before 429: aggregators and validators fetch every record, and answers are cached.'),
  })
  .strict();

export type Config = z.infer<typeof configSchema> & {
  readonly baseUrl: string;
  readonly cookieSecure: boolean;
  readonly sqliteFile: string;
};

export class ConfigError extends Error {}

/** The validator's words for a wrong value, said as an operator would (never the value: it may be a secret). */
function plainProblem(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  if (issue.code === 'invalid_value') return `must be one of: ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

/**
 * Names in the environment that look like a misspelt setting (`DATABSE_URL`, `PROT`, `port`): a setting that is
 * silently not applied (SQLite instead of the intended PostgreSQL, say) is worse than a warning. Warnings, not
 * refusals, because the environment also holds other programs' variables.
 */
export function misspeltSettings(env: Record<string, string | undefined>): string[] {
  const known = Object.keys(configSchema.shape);
  return Object.keys(env)
    .filter((name) => !known.includes(name))
    .flatMap((name) => {
      const meant = known.find((setting) => looksLike(name, setting));
      return meant ? [`${name} is not a setting of this service: did you mean ${meant}? It has been ignored.`] : [];
    });
}

function looksLike(name: string, setting: string): boolean {
  if (name.toUpperCase() === setting) return true;
  const distance = editDistance(name, setting);
  return distance === 1 || (distance === 2 && setting.length >= 8);
}

/** Edits (insert, delete, replace, swap two neighbours) from one name to the other. */
function editDistance(from: string, to: string): number {
  const rows = Array.from({ length: from.length + 1 }, (_, i) => Array.from({ length: to.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= from.length; i += 1) {
    for (let j = 1; j <= to.length; j += 1) {
      const cost = from[i - 1] === to[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = best;
    }
  }
  return at(from.length, to.length);
}

/** Parses the environment once; code receives the result and never reads process.env itself. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.keys(configSchema.shape);
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '')}: ${plainProblem(issue)}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  const cookieSecure = config.COOKIE_SECURE ?? config.NODE_ENV === 'production';
  const result: Config = {
    ...config,
    baseUrl: config.BASE_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${String(config.PORT)}`,
    cookieSecure,
    sqliteFile: path.resolve(config.DATA_DIR, 'platform.sqlite'),
  };
  if (config.NODE_ENV === 'production') assertSafeForProduction(result);
  return result;
}

/**
 * A secret of a few repeated characters or bytes (all zeros, "bbbb…", "abab…") was typed, not generated. Random
 * secrets in any alphabet pass: even 32 digits have fewer than 6 different ones about once in 16 million.
 */
function looksMadeUp(secret: Buffer): boolean {
  return new Set(secret).size < 6;
}

/** What is wrong with a setting's keys: the length first (a copying mistake), then a pattern typed rather than generated. */
function keyProblems(setting: string, keys: readonly string[]): string[] {
  const bytes = keys.map((key) => Buffer.from(key, 'base64'));
  if (bytes.some((key) => key.length !== 32)) return [`${setting} keys must be 32 bytes, written in base64 (for example \`openssl rand -base64 32\`).`];
  return bytes.some(looksMadeUp) ? [`${setting} must be random keys (for example \`openssl rand -base64 32\`), not zeros or a pattern.`] : [];
}

/** The keys of an `id:base64key,...` setting, without their ids, read as parseKeyList reads them. */
function keysOfIdList(setting: string | undefined): string[] {
  return (setting ?? '').split(',').map((entry) => entry.trim().split(':')[1] ?? '').filter(Boolean);
}

function assertSafeForProduction(config: Config): void {
  const problems: string[] = [];
  if (config.SESSION_SECRET.toLowerCase().startsWith(DEV_SESSION_SECRET.slice(0, 24))) problems.push('SESSION_SECRET must be set to your own secret (the default is public).');
  else if (looksMadeUp(Buffer.from(config.SESSION_SECRET))) problems.push('SESSION_SECRET must be random, not a repeated or made-up string.');
  if (!config.ENCRYPTION_KEYS) problems.push('ENCRYPTION_KEYS must be set (generated key files are for the embedded demo only).');
  if (!config.BLIND_INDEX_KEY) problems.push('BLIND_INDEX_KEY must be set (generated key files are for the embedded demo only).');
  if (!config.AUDIT_KEYS) problems.push('AUDIT_KEYS must be set (generated key files are for the embedded demo only).');
  const encryptionKeys = keysOfIdList(config.ENCRYPTION_KEYS);
  const blindIndexKeys = (config.BLIND_INDEX_KEY ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const auditKeys = keysOfIdList(config.AUDIT_KEYS);
  problems.push(...keyProblems('ENCRYPTION_KEYS', encryptionKeys), ...keyProblems('BLIND_INDEX_KEY', blindIndexKeys), ...keyProblems('AUDIT_KEYS', auditKeys));
  if (blindIndexKeys.some((key) => encryptionKeys.includes(key))) problems.push('BLIND_INDEX_KEY must differ from every key in ENCRYPTION_KEYS.');
  if (auditKeys.some((key) => encryptionKeys.includes(key) || blindIndexKeys.includes(key))) problems.push('AUDIT_KEYS must differ from every key in ENCRYPTION_KEYS and BLIND_INDEX_KEY.');
  if ([...encryptionKeys, ...blindIndexKeys, ...auditKeys].includes(config.SESSION_SECRET)) problems.push('SESSION_SECRET must differ from every key in ENCRYPTION_KEYS, BLIND_INDEX_KEY and AUDIT_KEYS.');
  if (!config.cookieSecure) problems.push('COOKIE_SECURE must not be false: cookies must only travel over HTTPS.');
  if (config.SEED_DEMO) problems.push('SEED_DEMO must be false: demo data and sign-ins are not allowed in production.');
  if (!config.BASE_URL?.startsWith('https://')) problems.push('BASE_URL must be set to the https:// address of the site.');
  if (problems.length > 0) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
}
