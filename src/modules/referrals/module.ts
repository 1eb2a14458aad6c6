import type { FeatureModule, JobDefinition } from '../../platform/modules.js';
import { REFERRAL_PEOPLE_INDEXES } from './matching.js';
import { localesOf } from '../../platform/i18n/translator.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import { registerReferralApi } from './api/routes.js';
import { registerApiKeyPages } from './api/keys-routes.js';
import { registerReferralForm } from './form/routes.js';
import { registerReferralPages } from './pages/routes.js';
import { seedDemoReferrals } from './demo.js';
import { DRAFT_KEPT_DAYS } from './drafts/service.js';
import { forgetIdempotencyKeys, IDEMPOTENCY_KEPT_DAYS } from './api/idempotency.js';

/** A job with the line the operator sees in `jobs list`. */
const draftExpiryJob: JobDefinition & { readonly description: string } = {
  name: 'referrals.expire-drafts',
  cron: '50 2 * * *',
  description: `Delete draft referrals unchanged for ${String(DRAFT_KEPT_DAYS)} days (each deletion audited).`,
  async run(services) {
    await services.referralDrafts.deleteAbandoned();
  },
};

const idempotencyRetentionJob: JobDefinition & { readonly description: string } = {
  name: 'referrals.forget-idempotency-keys',
  cron: '55 2 * * *',
  description: `Forget partner API Idempotency-Keys older than ${String(IDEMPOTENCY_KEPT_DAYS)} days (and the answers kept for their retries).`,
  async run(services) {
    await forgetIdempotencyKeys(services.db.kysely, services.clock());
  },
};

/**
 * The referral pathway, referrer side: the question-page form with drafts, the referrer's own referrals and
 * their explained routing, the partner API with its keys. Receiving services' inboxes build on this data.
 */
export const referralsModule: FeatureModule = {
  name: 'referrals',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  localeFolders: [localesOf(import.meta.url)],
  navigation: [
    { href: '/app/referrals', text: 'Referrals', permission: 'referrals.create' },
    { href: '/app/api-keys', text: 'API keys', permission: 'apikeys.manage' },
  ],
  blindIndexes: [REFERRAL_PEOPLE_INDEXES],
  async recordIdOf(services, reference) {
    const normalised = reference.trim().toUpperCase();
    if (!/^R-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(normalised)) return undefined;
    return (await services.db.kysely.selectFrom('referrals').select('id').where('reference', '=', normalised).executeTakeFirst())?.id;
  },
  encryptedColumns: [
    {
      table: 'referrals',
      primaryKey: 'id',
      columns: [
        'referrer_name_enc',
        'referrer_phone_enc',
        'referrer_email_enc',
        'safe_phone_enc',
        'safe_email_enc',
        'safe_times_enc',
        'contact_notes_enc',
        'interpreter_language_enc',
        'professional_judgement_reasons_enc',
        'consent_notes_enc',
      ],
    },
    {
      table: 'referral_people',
      primaryKey: 'id',
      columns: ['first_name_enc', 'last_name_enc', 'other_names_enc', 'date_of_birth_enc', 'address_enc', 'postcode_enc', 'phone_enc', 'email_enc', 'notes_enc'],
    },
    { table: 'referral_dependants', primaryKey: 'id', columns: ['name_enc', 'date_of_birth_enc', 'relationship_enc', 'setting_enc', 'notes_enc'] },
    { table: 'dash_answers', primaryKey: 'id', columns: ['note_enc', 'source_enc'] },
    { table: 'referral_routes', primaryKey: 'id', columns: ['decline_reason_enc'] },
    { table: 'referral_events', primaryKey: 'id', columns: ['note_enc'] },
    { table: 'referral_drafts', primaryKey: 'id', columns: ['answers_enc'] },
  ],
  async register(app, services) {
    await services.routingRules.ensureSeeded();
    await services.referrals.encryptPlainInterpreterLanguages();
    registerReferralApi(app, services);
    registerApiKeyPages(app, services);
    registerReferralForm(app, services);
    registerReferralPages(app, services);
  },
  jobs: [draftExpiryJob, idempotencyRetentionJob],
  seedDemo: seedDemoReferrals,
};
