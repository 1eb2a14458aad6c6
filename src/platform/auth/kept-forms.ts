import type { AuditService } from '../audit/service.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import type { Db } from '../db/database.js';
import { hashToken, newSecretToken } from './tokens.js';

/** Long enough to sign in again after a break; short, because what it holds is what was typed about a person. */
export const KEPT_FORM_MS = 2 * 60 * 60 * 1000;

export type KeptFields = Record<string, unknown>;

export interface KeptFormDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
}

/**
 * A form sent after its sender's session ended (30 minutes idle, or 12 hours old) is kept, encrypted, for the same
 * person: once they have signed in again, the page at the form's address shows it to them, once. It is bound to
 * the user whose session ended, so someone else signing in on the same browser never sees it; the browser holds
 * only a random token in a cookie. Each person has at most one kept form, the last.
 */
export function createKeptForms({ db, crypto, audit, clock }: KeptFormDeps) {
  const now = () => clock().toISOString();

  return {
    /** Keeps the fields sent to `path`; the token goes in the kept-form cookie (SessionCookie.keptFormName). */
    async keep(userId: string, path: string, fields: KeptFields, origin: { ip: string; requestId: string }): Promise<string> {
      const token = newSecretToken();
      await audit.transaction(async (trx) => {
        await trx.deleteFrom('kept_forms').where('user_id', '=', userId).execute();
        await trx
          .insertInto('kept_forms')
          .values({ token_hash: hashToken(token), user_id: userId, path, fields_enc: crypto.encrypt(JSON.stringify(fields)), expires_at: new Date(clock().getTime() + KEPT_FORM_MS).toISOString() })
          .execute();
        await audit.recordWith(trx, { action: 'FORM_KEPT_AFTER_SESSION_ENDED', actorUserId: userId, details: { path }, ...origin });
      });
      return token;
    },

    /** Where the person's kept form was sent, to take them back there after signing in. */
    async pathFor(token: string, userId: string): Promise<string | undefined> {
      const row = await db.kysely.selectFrom('kept_forms').select('path').where('token_hash', '=', hashToken(token)).where('user_id', '=', userId).where('expires_at', '>', now()).executeTakeFirst();
      return row?.path;
    },

    /** The fields kept for this person at this address, given to them once. */
    async take(token: string, userId: string, path: string, origin: { ip: string; requestId: string }): Promise<KeptFields | undefined> {
      const row = await db.kysely.selectFrom('kept_forms').selectAll().where('token_hash', '=', hashToken(token)).where('user_id', '=', userId).where('path', '=', path).where('expires_at', '>', now()).executeTakeFirst();
      if (!row) return undefined;
      // Taken by whoever deletes it: two tabs opening the page at once do not both show it.
      const taken = await audit.transaction(async (trx) => {
        const deleted = await trx.deleteFrom('kept_forms').where('token_hash', '=', row.token_hash).executeTakeFirst();
        if (Number(deleted.numDeletedRows) !== 1) return false;
        await audit.recordWith(trx, { action: 'FORM_RESTORED_AFTER_SIGN_IN', actorUserId: userId, details: { path }, ...origin });
        return true;
      });
      return taken ? (JSON.parse(crypto.decrypt(row.fields_enc)) as KeptFields) : undefined;
    },

    async deleteExpired(): Promise<number> {
      const result = await db.kysely.deleteFrom('kept_forms').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type KeptForms = ReturnType<typeof createKeptForms>;
