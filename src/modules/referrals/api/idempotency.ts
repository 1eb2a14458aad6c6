import { createHash } from 'node:crypto';
import type { Executor } from '../../../platform/db/database.js';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import type { RowWrite } from '../../../platform/db/row-write.js';

/** A JSON text with object keys sorted, so the same body sent with its keys in another order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * A partner chooses its keys, and may use a case reference or a name: only a keyed hash of one is stored (a blind
 * index, matched under every configured index key, so a rotation does not forget a retry).
 */
const KEY_PURPOSE = 'idempotency-key';

/** How long a key answers a retry: far longer than any partner system retries, then it is forgotten. */
export const IDEMPOTENCY_KEPT_DAYS = 30;

export function findIdempotent(executor: Executor, crypto: FieldCrypto, organisationId: string, key: string) {
  // The key as sent too: keys stored before they were hashed still answer their retries until they are forgotten.
  const stored = [...crypto.blindIndexes(KEY_PURPOSE, key), key];
  return executor.selectFrom('idempotency_keys').selectAll().where('organisation_id', '=', organisationId).where('key', 'in', stored).executeTakeFirst();
}

/** Keys older than IDEMPOTENCY_KEPT_DAYS: no retry comes that late, and what a partner chose as a key is not kept. */
export async function forgetIdempotencyKeys(executor: Executor, now: Date): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEPT_DAYS * 24 * 60 * 60 * 1000).toISOString();
  const result = await executor.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The stored response, written in the same statement as the referral it answers for (see AuditService.writeWithEvents). */
export function idempotentResponse(crypto: FieldCrypto, row: { organisationId: string; key: string; bodyHash: string; statusCode: number; response: string; at: string }): RowWrite {
  const key = crypto.blindIndex(KEY_PURPOSE, row.key);
  return (q) => q.insertInto('idempotency_keys').values({ organisation_id: row.organisationId, key, body_hash: row.bodyHash, status_code: row.statusCode, response: row.response, created_at: row.at });
}
