import { createHash, randomBytes } from 'node:crypto';
import type { AuditService } from '../../../platform/audit/service.js';
import type { Db } from '../../../platform/db/database.js';
import { newId, nowIso } from '../../../platform/db/ids.js';
import { UserFacingError } from '../../../platform/http/errors.js';

export const API_KEY_PREFIX = 'dapk_';
/** Writing last_used_at on every call would turn each read into a write; a minute is precise enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface IssuedKey {
  readonly id: string;
  /** The whole key: shown once, never stored. */
  readonly key: string;
  readonly prefix: string;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationSlug: string;
  readonly label: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface ApiClient {
  readonly apiKeyId: string;
  readonly organisationId: string;
}

/** Who is acting on keys: a signed-in administrator, or the operator at the command line. */
export interface KeyActor {
  readonly userId: string | null;
  readonly organisationId: string | null;
  readonly ip?: string;
  readonly requestId?: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API keys issued to partner organisations: stored as SHA-256 hashes (the key has 256 random bits), revocable. */
export function createApiKeyService({ db, audit, clock }: { readonly db: Db; readonly audit: AuditService; readonly clock: () => Date }) {
  const context = (by: KeyActor) => ({ actorUserId: by.userId, actorOrganisationId: by.organisationId, ip: by.ip ?? null, requestId: by.requestId ?? null });

  /** Another organisation's key (or one already revoked, or none) is "not found", and the attempt is on the trail. */
  async function refuse(id: string, by: KeyActor): Promise<never> {
    await audit.record({ action: 'API_KEY_REVOKE_REFUSED', outcome: 'denied', recordType: 'api_key', recordId: id.slice(0, 64), ...context(by) });
    throw new UserFacingError(404, 'There is no active API key with that id.', 'API key not found');
  }

  return {
    async issue(organisationId: string, label: string, by: KeyActor): Promise<IssuedKey> {
      const organisation = await db.kysely.selectFrom('organisations').select(['id', 'active']).where('id', '=', organisationId).executeTakeFirst();
      if (organisation?.active !== 1) throw new UserFacingError(400, 'Choose an active organisation for the key.');
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const id = newId();
      const prefix = key.slice(0, API_KEY_PREFIX.length + 6);
      await db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('api_keys')
          .values({ id, organisation_id: organisationId, label, prefix, key_hash: hashApiKey(key), created_by_user_id: by.userId, created_at: nowIso(clock), last_used_at: null, revoked_at: null, revoked_by_user_id: null })
          .execute();
        await audit.recordWith(trx, { action: 'API_KEY_CREATED', recordType: 'api_key', recordId: id, ...context(by), details: { organisationId, via: by.userId ? 'admin' : 'cli' } });
      });
      return { id, key, prefix };
    },

    /** Keys of one organisation, or of every organisation when `organisationId` is null. */
    async list(organisationId: string | null): Promise<ApiKeySummary[]> {
      let query = db.kysely
        .selectFrom('api_keys')
        .innerJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
        .select(['api_keys.id', 'api_keys.organisation_id', 'organisations.name', 'organisations.slug', 'api_keys.label', 'api_keys.prefix', 'api_keys.created_at', 'api_keys.last_used_at', 'api_keys.revoked_at'])
        .orderBy('api_keys.created_at', 'desc');
      if (organisationId) query = query.where('api_keys.organisation_id', '=', organisationId);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        organisationId: row.organisation_id,
        organisationName: row.name,
        organisationSlug: row.slug,
        label: row.label,
        prefix: row.prefix,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
      }));
    },

    async get(id: string): Promise<ApiKeySummary | undefined> {
      return (await this.list(null)).find((key) => key.id === id);
    },

    /** Revokes a key; `withinOrganisation` limits an organisation administrator to their own keys. */
    async revoke(id: string, by: KeyActor, withinOrganisation: string | null): Promise<void> {
      const revoked = await db.kysely.transaction().execute(async (trx) => {
        let query = trx.updateTable('api_keys').set({ revoked_at: nowIso(clock), revoked_by_user_id: by.userId }).where('id', '=', id).where('revoked_at', 'is', null);
        if (withinOrganisation) query = query.where('organisation_id', '=', withinOrganisation);
        const result = await query.executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        await audit.recordWith(trx, { action: 'API_KEY_REVOKED', recordType: 'api_key', recordId: id, ...context(by), details: { via: by.userId ? 'admin' : 'cli' } });
        return true;
      });
      if (!revoked) await refuse(id, by);
    },

    refuse,

    /** The organisation a presented key belongs to, or undefined for an unknown or revoked key, or one of an organisation switched off. */
    async authenticate(presented: string): Promise<ApiClient | undefined> {
      if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return undefined;
      const row = await db.kysely
        .selectFrom('api_keys')
        .innerJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
        .select(['api_keys.id', 'api_keys.organisation_id', 'api_keys.revoked_at', 'api_keys.last_used_at', 'organisations.active'])
        .where('api_keys.key_hash', '=', hashApiKey(presented))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || row.active !== 1) return undefined;
      const now = clock();
      if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
        await db.kysely.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
      }
      return { apiKeyId: row.id, organisationId: row.organisation_id };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
