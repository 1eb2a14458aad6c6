import { randomInt } from 'node:crypto';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import type { Executor } from '../db/database.js';
import { newId, nowIso } from '../db/ids.js';
import type { BlindIndexedRows } from '../modules.js';

const CODE_COUNT = 10;
// No 0/O or 1/I/L: codes are read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code from ten numbers below the alphabet's length (random ones, or for a demo account fixed ones). */
export function codeFrom(picks: readonly number[]): string {
  const characters = picks.slice(0, 10).map((pick) => ALPHABET[pick % ALPHABET.length] ?? '');
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}

const newCode = () => codeFrom(Array.from({ length: 10 }, () => randomInt(ALPHABET.length)));

/** As many codes as a person gets, from `code(n)` for n = 0, 1, ... */
export const codeSet = (code: (index: number) => string): string[] => Array.from({ length: CODE_COUNT }, (_, index) => code(index));

function normalise(code: string): string {
  const cleaned = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return cleaned.length === 10 ? `${cleaned.slice(0, 5)}-${cleaned.slice(5)}` : cleaned;
}

const PURPOSE = 'recovery-code';

/**
 * A code is matched by a keyed blind index and kept encrypted, both under keys outside the database: a plain hash of
 * a code this short could be worked back from the database alone. Kept encrypted so the index can move to a new
 * blind index key with the others (`rotate-keys --blind-index`).
 */
export const RECOVERY_CODE_INDEX: BlindIndexedRows = {
  table: 'recovery_codes',
  primaryKey: 'id',
  sources: ['code_enc'],
  indexes: (indexer, plain) => ({ code_index: plain['code_enc'] === null || plain['code_enc'] === undefined ? null : indexer.blindIndex(PURPOSE, plain['code_enc']) }),
};

/** Takes away every recovery code a user has, used or not. */
export async function removeRecoveryCodes(executor: Executor, userId: string): Promise<void> {
  await executor.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** Replaces a user's recovery codes and returns the new ones, to be shown once (fresh ones unless given). */
export async function replaceRecoveryCodes(executor: Executor, crypto: FieldCrypto, userId: string, codes: string[] = codeSet(newCode)): Promise<string[]> {
  await removeRecoveryCodes(executor, userId);
  await executor
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_enc: crypto.encrypt(code), code_index: crypto.blindIndex(PURPOSE, code), used_at: null })))
    .execute();
  return codes;
}

/** Uses a code once: true only for an unused code of this user, which is then spent. */
export async function spendRecoveryCode(executor: Executor, crypto: FieldCrypto, userId: string, code: string, clock: () => Date): Promise<boolean> {
  const result = await executor
    .updateTable('recovery_codes')
    .set({ used_at: nowIso(clock) })
    .where('user_id', '=', userId)
    .where('code_index', 'in', crypto.blindIndexes(PURPOSE, normalise(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function remainingRecoveryCodes(executor: Executor, userId: string): Promise<number> {
  const row = await executor
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
