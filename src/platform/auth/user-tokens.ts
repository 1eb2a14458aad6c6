import { lockAccount } from '../access/users.js';
import type { Db, Executor } from '../db/database.js';
import { newId, nowIso } from '../db/ids.js';
import type { UserTokenTable } from './tables.js';
import { hashToken, newSecretToken } from './tokens.js';

export type TokenPurpose = UserTokenTable['purpose'];

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
};

export type TokenCheck =
  | { readonly state: 'valid'; readonly userId: string; readonly tokenId: string }
  | { readonly state: 'used' | 'expired' | 'unknown' };

/** A link just issued: its row (named by the email carrying it), its secret, and when it stops working. */
export interface IssuedLink {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: string;
}

/** Single-use, expiring links for invitations and password resets; only the token's hash is stored. */
export function createUserTokens(db: Db, clock: () => Date = () => new Date()) {
  return {
    /** A new link, replacing any unused one for the same purpose (an email carrying it is not worth sending after it stops working). */
    async issueWith(executor: Executor, userId: string, purpose: TokenPurpose): Promise<IssuedLink> {
      const token = newSecretToken();
      const now = clock();
      const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]).toISOString();
      // A new link replaces any earlier unused one for the same purpose; two asked for at once take turns on the
      // account, so the second replaces the first rather than both staying usable.
      await lockAccount(executor, db.dialect, userId);
      await executor.deleteFrom('user_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
      const id = newId();
      await executor
        .insertInto('user_tokens')
        .values({
          id,
          token_hash: hashToken(token),
          purpose,
          user_id: userId,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      return { id, token, expiresAt };
    },

    async check(token: string, purpose: TokenPurpose): Promise<TokenCheck> {
      const row = await db.kysely
        .selectFrom('user_tokens')
        .selectAll()
        .where('token_hash', '=', hashToken(token))
        .where('purpose', '=', purpose)
        .executeTakeFirst();
      if (!row) return { state: 'unknown' };
      if (row.used_at) return { state: 'used' };
      if (Date.parse(row.expires_at) <= clock().getTime()) return { state: 'expired' };
      return { state: 'valid', userId: row.user_id, tokenId: row.id };
    },

    /** Every unused link of the account, whatever its purpose, stops working: opened later, it says it has expired. */
    async expireUnusedWith(executor: Executor, userId: string): Promise<void> {
      const now = nowIso(clock);
      await executor.updateTable('user_tokens').set({ expires_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).where('expires_at', '>', now).execute();
    },

    /** Marks the token used; false if another request used it first. */
    async consumeWith(executor: Executor, tokenId: string): Promise<boolean> {
      const result = await executor
        .updateTable('user_tokens')
        .set({ used_at: nowIso(clock) })
        .where('id', '=', tokenId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type UserTokens = ReturnType<typeof createUserTokens>;
