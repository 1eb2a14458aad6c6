import type { JobDefinition } from '../modules.js';
import { applyRetention } from './retention.js';
import type { JobLogger } from './runner.js';

export interface PlatformJob extends JobDefinition {
  readonly description: string;
}

export const OUTBOX_JOB = 'outbox.deliver';
export const SESSIONS_JOB = 'sessions.purge';
export const RETENTION_JOB = 'retention.apply';
export const AUDIT_ANCHOR_JOB = 'audit.anchor';

/** The platform's own scheduled work. Feature modules add theirs through FeatureModule.jobs. */
export function platformJobs(logger: JobLogger): PlatformJob[] {
  return [
    {
      name: OUTBOX_JOB,
      cron: '* * * * *',
      description: 'Send due email from the outbox through SMTP, retrying failures with a growing delay.',
      async run(services) {
        const report = await services.delivery.deliverDue();
        if (!report.configured) {
          if (report.waiting > 0) logger.warn({ waiting: report.waiting }, 'SMTP_URL is not set: email is waiting in the outbox and will be sent once it is');
          return;
        }
        if (report.serverUnavailable) logger.warn({ waiting: report.waiting }, 'the mail server could not be used; email will be tried again later');
        const tally = { sent: report.sent, retrying: report.retrying, failed: report.failed, expired: report.expired, withdrawn: report.withdrawn, waiting: report.waiting };
        // A message given up on (refused for good, or past its use) never reaches its reader: someone should look.
        if (report.failed + report.expired > 0) logger.warn(tally, 'outbox delivery: some email was given up on; `npm run cli -- outbox list` shows which');
        else if (report.sent + report.retrying + report.withdrawn > 0) logger.info(tally, 'outbox delivery');
      },
    },
    {
      name: SESSIONS_JOB,
      cron: '*/5 * * * *',
      description: 'Delete sessions 2 hours after they timed out (30 minutes idle or 12 hours old), and forms kept for people whose session ended once 2 hours have passed.',
      async run(services) {
        const purged = await services.sessions.purgeExpired();
        if (purged > 0) logger.info({ purged }, 'expired sessions deleted');
        const keptForms = await services.keptForms.deleteExpired();
        if (keptForms > 0) logger.info({ keptForms }, 'kept forms deleted');
      },
    },
    {
      name: AUDIT_ANCHOR_JOB,
      cron: '7 * * * *',
      description: 'Write the audit chain\'s last event number and fingerprint to the log each hour: kept outside the database, they let `audit verify --anchor` show that no event up to them was rewritten or removed.',
      async run(services) {
        const anchor = await services.audit.anchor();
        if (anchor) logger.info({ auditAnchor: `${String(anchor.seq)}:${anchor.hash}` }, 'audit chain anchor');
      },
    },
    {
      name: RETENTION_JOB,
      cron: '17 3 * * *',
      description: 'Delete sent email after 30 days, spent sign-in links, old sign-in throttle rows and old job history.',
      async run(services) {
        logger.info({ ...(await applyRetention(services.db, services.clock())) }, 'retention applied');
      },
    },
  ];
}
