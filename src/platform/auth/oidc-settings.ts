import type { Actor } from '../access/policy.js';
import { actedBy, type AuditService } from '../audit/service.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../db/ids.js';
import type { RequestOrigin } from './service.js';
import { ProviderError, SSO_SCOPE, type OidcClient } from './oidc-client.js';
import { findOrganisationById, updateSsoSettings, type OrganisationRow } from './oidc-repository.js';

export interface SsoSettingsDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly client: OidcClient;
  readonly baseUrl: string;
  readonly clock: () => Date;
}

export interface SsoSettingsView {
  readonly organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'version' | 'active'>;
  readonly issuer: string | null;
  readonly clientId: string | null;
  readonly hasSecret: boolean;
  readonly enabled: boolean;
  /** What the organisation's IT team registers at their provider. */
  readonly redirectUri: string;
  readonly scope: string;
}

export interface SsoSettingsInput {
  readonly issuer: string;
  readonly clientId: string;
  /** Empty keeps the saved secret. */
  readonly clientSecret: string | undefined;
}

export type SaveOutcome = { readonly kind: 'ok' } | { readonly kind: 'stale' | 'secret-required' | 'unreachable' | 'insecure' };

export function ssoCallbackPath(slug: string): string {
  return `/app/sso/${slug}/callback`;
}

/** System administrators set up, change and turn off single sign-on per organisation. Every change is audited. */
export function createSsoSettingsService(deps: SsoSettingsDeps) {
  const { db, crypto, audit, clock } = deps;

  function toView(row: OrganisationRow): SsoSettingsView {
    return {
      organisation: { id: row.id, slug: row.slug, name: row.name, version: row.version, active: row.active },
      issuer: row.sso_issuer,
      clientId: row.sso_client_id,
      hasSecret: row.sso_client_secret_enc !== null,
      enabled: row.sso_issuer !== null && row.sso_client_id !== null && row.sso_client_secret_enc !== null,
      redirectUri: `${deps.baseUrl}${ssoCallbackPath(row.slug)}`,
      scope: SSO_SCOPE,
    };
  }

  return {
    async get(organisationId: string): Promise<SsoSettingsView | undefined> {
      const row = await findOrganisationById(db.kysely, organisationId);
      return row ? toView(row) : undefined;
    },

    /** Reads the provider's discovery document before saving, so a mistyped issuer is caught here, not at sign-in. */
    async save(actor: Actor, organisationId: string, version: number, input: SsoSettingsInput, origin: RequestOrigin): Promise<SaveOutcome> {
      const row = await findOrganisationById(db.kysely, organisationId);
      if (row?.version !== version) return { kind: 'stale' };
      const clientSecret = input.clientSecret ?? (row.sso_client_secret_enc ? crypto.decrypt(row.sso_client_secret_enc) : undefined);
      if (!clientSecret) return { kind: 'secret-required' };
      try {
        await deps.client.check({ issuer: input.issuer, clientId: input.clientId, clientSecret });
      } catch (error: unknown) {
        if (error instanceof ProviderError) return { kind: error.code === 'insecure-issuer' ? 'insecure' : 'unreachable' };
        throw error;
      }
      const saved = await db.kysely.transaction().execute(async (trx) => {
        const settings = { issuer: input.issuer, clientId: input.clientId, clientSecretEnc: crypto.encrypt(clientSecret) };
        if (!(await updateSsoSettings(trx, organisationId, version, settings, nowIso(clock)))) return false;
        await audit.recordWith(trx, {
          action: 'SSO_SETTINGS_CHANGED',
          ...actedBy(actor),
          recordType: 'organisation',
          recordId: organisationId,
          details: { issuer: input.issuer, secretChanged: input.clientSecret !== undefined },
          ...origin,
        });
        return true;
      });
      return { kind: saved ? 'ok' : 'stale' };
    },

    async remove(actor: Actor, organisationId: string, version: number, origin: RequestOrigin): Promise<'ok' | 'stale'> {
      return db.kysely.transaction().execute(async (trx) => {
        if (!(await updateSsoSettings(trx, organisationId, version, { issuer: null, clientId: null, clientSecretEnc: null }, nowIso(clock)))) return 'stale';
        await audit.recordWith(trx, {
          action: 'SSO_SETTINGS_REMOVED',
          ...actedBy(actor),
          recordType: 'organisation',
          recordId: organisationId,
          ...origin,
        });
        return 'ok';
      });
    },
  };
}

export type SsoSettingsService = ReturnType<typeof createSsoSettingsService>;
