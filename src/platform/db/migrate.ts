import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as foundation from './migrations/2026-11-25-0001-foundation.js';
import * as jobs from './migrations/2026-11-25-0002-jobs.js';
import * as directory from './migrations/2026-11-25-0010-directory.js';
import * as support from './migrations/2026-11-25-0020-support.js';
import * as referrals from './migrations/2026-11-25-0030-referrals.js';
import * as referralInboxPaging from './migrations/2026-11-25-0031-referral-inbox-paging.js';
import * as referralInboxCounts from './migrations/2026-11-25-0032-referral-inbox-counts.js';
import * as referralSourceDraft from './migrations/2026-11-25-0033-referral-source-draft.js';
import * as auditChainHead from './migrations/2026-11-26-0034-audit-chain-head.js';
import * as keptForms from './migrations/2026-11-26-0035-kept-forms.js';
import * as referralSuicideSelfHarmRisk from './migrations/2026-12-05-0036-referral-suicide-self-harm-risk.js';
import * as referralEarlierIncidents from './migrations/2026-12-05-0037-referral-earlier-incidents.js';
import * as referralCriteriaNotMet from './migrations/2026-12-05-0038-referral-criteria-not-met.js';
import * as localPlaceNames from './migrations/2026-12-05-0039-local-place-names.js';
import * as callbackReceiver from './migrations/2026-12-05-0040-callback-receiver.js';
import * as auditAppendOnly from './migrations/2026-12-06-0041-audit-append-only.js';
import * as contentWithdrawal from './migrations/2026-12-06-0042-content-withdrawal.js';
import * as moreLocalPlaceNames from './migrations/2026-12-06-0043-more-local-place-names.js';
import * as outboxSendBefore from './migrations/2026-12-07-0044-outbox-send-before.js';
import * as directoryRecordPublication from './migrations/2026-12-07-0045-directory-record-publication.js';
import * as callbackSubmission from './migrations/2026-12-07-0046-callback-submission.js';
import * as harmAgeBand from './migrations/2026-12-07-0047-harm-age-band.js';
import * as seriousHarmRisk from './migrations/2026-12-07-0048-referral-serious-harm-risk.js';
import * as recoveryCodesKeyed from './migrations/2026-12-07-0049-recovery-codes-keyed.js';
import * as supportVideos from './migrations/2026-12-07-0050-support-videos.js';
import * as supportVideoDeletion from './migrations/2026-12-07-0051-support-video-deletion.js';
import * as reinviteEnabledWithoutPassword from './migrations/2026-12-07-0052-reinvite-enabled-without-password.js';
import * as routingRuleUpgrades from './migrations/2026-12-07-0053-routing-rule-upgrades.js';
import * as contentWithdrawalReason from './migrations/2026-12-07-0054-content-withdrawal-reason.js';
import * as interpreterLanguageEncrypted from './migrations/2026-12-07-0055-interpreter-language-encrypted.js';
import * as outboxLinkToken from './migrations/2026-12-08-0056-outbox-link-token.js';

/** Listed here rather than read from disk, so the bundle and the tests run exactly the same set. */
const migrations: Record<string, Migration> = {
  '2026-11-25-0001-foundation': foundation,
  '2026-11-25-0002-jobs': jobs,
  '2026-11-25-0010-directory': directory,
  '2026-11-25-0020-support': support,
  '2026-11-25-0030-referrals': referrals,
  '2026-11-25-0031-referral-inbox-paging': referralInboxPaging,
  '2026-11-25-0032-referral-inbox-counts': referralInboxCounts,
  '2026-11-25-0033-referral-source-draft': referralSourceDraft,
  '2026-11-26-0034-audit-chain-head': auditChainHead,
  '2026-11-26-0035-kept-forms': keptForms,
  '2026-12-05-0036-referral-suicide-self-harm-risk': referralSuicideSelfHarmRisk,
  '2026-12-05-0037-referral-earlier-incidents': referralEarlierIncidents,
  '2026-12-05-0038-referral-criteria-not-met': referralCriteriaNotMet,
  '2026-12-05-0039-local-place-names': localPlaceNames,
  '2026-12-05-0040-callback-receiver': callbackReceiver,
  '2026-12-06-0041-audit-append-only': auditAppendOnly,
  '2026-12-06-0042-content-withdrawal': contentWithdrawal,
  '2026-12-06-0043-more-local-place-names': moreLocalPlaceNames,
  '2026-12-07-0044-outbox-send-before': outboxSendBefore,
  '2026-12-07-0045-directory-record-publication': directoryRecordPublication,
  '2026-12-07-0046-callback-submission': callbackSubmission,
  '2026-12-07-0047-harm-age-band': harmAgeBand,
  '2026-12-07-0048-referral-serious-harm-risk': seriousHarmRisk,
  '2026-12-07-0049-recovery-codes-keyed': recoveryCodesKeyed,
  '2026-12-07-0050-support-videos': supportVideos,
  '2026-12-07-0051-support-video-deletion': supportVideoDeletion,
  '2026-12-07-0052-reinvite-enabled-without-password': reinviteEnabledWithoutPassword,
  '2026-12-07-0053-routing-rule-upgrades': routingRuleUpgrades,
  '2026-12-07-0054-content-withdrawal-reason': contentWithdrawalReason,
  '2026-12-07-0055-interpreter-language-encrypted': interpreterLanguageEncrypted,
  '2026-12-08-0056-outbox-link-token': outboxLinkToken,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('Migration failed', { cause: error });
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
