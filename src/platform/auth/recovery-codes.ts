import { randomInt } from 'node:crypto';
import type { Executor } from '../db/database.js';
import { newId, nowIso } from '../db/ids.js';
import { hashToken } from './tokens.js';

const CODE_COUNT = 10;
// No 0/O or 1/I/L: codes are read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const characters = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}

function normalise(code: string): string {
  const cleaned = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return cleaned.length === 10 ? `${cleaned.slice(0, 5)}-${cleaned.slice(5)}` : cleaned;
}

/** Replaces a user's recovery codes and returns the new ones, to be shown once. */
export async function replaceRecoveryCodes(executor: Executor, userId: string): Promise<string[]> {
  const codes = Array.from({ length: CODE_COUNT }, newCode);
  await executor.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await executor
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashToken(code), used_at: null })))
    .execute();
  return codes;
}

/** Uses a code once: true only for an unused code of this user, which is then spent. */
export async function spendRecoveryCode(executor: Executor, userId: string, code: string, clock: () => Date): Promise<boolean> {
  const result = await executor
    .updateTable('recovery_codes')
    .set({ used_at: nowIso(clock) })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashToken(normalise(code)))
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
