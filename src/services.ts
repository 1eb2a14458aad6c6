import type { Config } from './config.js';
import { createUserService } from './platform/access/user-service.js';
import { createAuditService } from './platform/audit/service.js';
import { createOidcClient } from './platform/auth/oidc-client.js';
import { createSsoSettingsService } from './platform/auth/oidc-settings.js';
import { createSsoSignIn } from './platform/auth/oidc-sign-in.js';
import { createAuthService } from './platform/auth/service.js';
import { createKeptForms } from './platform/auth/kept-forms.js';
import { createSessionStore } from './platform/auth/sessions.js';
import { createThrottle } from './platform/auth/throttle.js';
import { createUserTokens } from './platform/auth/user-tokens.js';
import { FieldCrypto } from './platform/crypto/field-crypto.js';
import { loadKeyMaterial, type PlatformKeys } from './platform/crypto/keys.js';
import type { Db } from './platform/db/database.js';
import { sessionCookie } from './platform/http/access.js';
import { createCsrf } from './platform/http/csrf.js';
import { createOutboxDelivery } from './platform/notify/delivery.js';
import { createOutbox } from './platform/notify/outbox.js';
import { createReferenceService } from './modules/admin/reference-service.js';
import { createDirectory } from './modules/directory/service.js';
import { createSupportService } from './modules/support/service.js';
import { createAdminService } from './modules/admin/service.js';
import { createAuditSearchService } from './modules/audit/service.js';
import { createRoutingRules } from './modules/referrals/rules/service.js';
import { createReferralService } from './modules/referrals/service.js';
import { createDraftService } from './modules/referrals/drafts/service.js';
import { createApiKeyService } from './modules/referrals/api/keys-service.js';
import { createReferralInbox } from './modules/referrals/inbox/service.js';
import { createReferralReports } from './modules/referrals/reports/service.js';
import { createRulesAdmin } from './modules/referrals/rules-admin/service.js';

export interface ServiceDeps {
  readonly config: Config;
  readonly db: Db;
  readonly keys: PlatformKeys;
  readonly clock?: () => Date;
}

/** Every service, wired by hand in one place. Tests build the same graph with their own database and clock. */
export function createServices(deps: ServiceDeps) {
  const { config, db } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Keys set in the environment cannot change while the service runs; only the embedded key file can (rotate-keys).
  const crypto = new FieldCrypto(deps.keys, config.ENCRYPTION_KEYS && config.BLIND_INDEX_KEY ? undefined : () => loadKeyMaterial(config));
  const auditKeying = (keys: PlatformKeys) => ({ keys: keys.auditKeys, unsealedUntil: keys.auditUnsealedUntil });
  // As for the field keys: only the embedded key file can gain an audit key while the service runs.
  const audit = createAuditService(db, auditKeying(deps.keys), { clock, ...(config.AUDIT_KEYS ? {} : { reloadKeying: () => auditKeying(loadKeyMaterial(config)) }) });
  const sessions = createSessionStore(db, clock);
  const keptForms = createKeptForms({ db, crypto, audit, clock });
  const throttle = createThrottle(db, clock);
  const userTokens = createUserTokens(db, clock);
  const outbox = createOutbox(crypto, clock, config.baseUrl);
  const delivery = createOutboxDelivery({ db, crypto, clock, smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const csrf = createCsrf({ secret: config.SESSION_SECRET, cookieSecure: config.cookieSecure });
  const baseUrl = config.baseUrl;
  const auth = createAuthService({ db, crypto, audit, sessions, throttle, userTokens, outbox, baseUrl, clock });
  const users = createUserService({ db, crypto, audit, userTokens, outbox, baseUrl, clock });
  const oidcClient = createOidcClient({ allowLocalHttp: config.NODE_ENV !== 'production' });
  const ssoSettings = createSsoSettingsService({ db, crypto, audit, client: oidcClient, baseUrl, clock });
  const sso = createSsoSignIn({ db, crypto, audit, sessions, client: oidcClient, baseUrl, clock });
  const reference = createReferenceService({ db, audit, clock });
  const directory = createDirectory({ db, crypto, audit, clock, outbox, baseUrl });
  const support = createSupportService({ db, audit, clock, userName: async (userId) => (await users.viewer(userId))?.name, fieldsNamingConfidentialAddress: directory.fieldsNamingConfidentialAddress });
  const admin = createAdminService({ users, reference, audit });
  const auditSearch = createAuditSearchService({ db, audit, users, reference });
  const routingRules = createRoutingRules({ db, audit, clock });
  const referrals = createReferralService({ db, crypto, audit, rules: routingRules, reference, clock });
  const referralDrafts = createDraftService({ db, crypto, audit, clock });
  const apiKeys = createApiKeyService({ db, audit, clock });
  const referralReports = createReferralReports({ db, audit, reference, clock });
  const routingRulesAdmin = createRulesAdmin({ db, crypto, audit, rules: routingRules, reference, clock });
  const referralInbox = createReferralInbox({ db, crypto, audit, outbox, rules: routingRules, reference, userName: async (userId) => (await users.viewer(userId))?.name, baseUrl, clock });

  return {
    config,
    db,
    clock,
    crypto,
    audit,
    sessions,
    keptForms,
    sessionCookie: sessionCookie(config.cookieSecure),
    throttle,
    userTokens,
    outbox,
    delivery,
    csrf,
    auth,
    users,
    sso,
    ssoSettings,
    reference,
    directory,
    support,
    admin,
    auditSearch,
    routingRules,
    referrals,
    referralDrafts,
    apiKeys,
    referralInbox,
    referralReports,
    routingRulesAdmin,
  };
}

export type Services = ReturnType<typeof createServices>;
