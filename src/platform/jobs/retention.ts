import type { Db } from '../db/database.js';
import { deleteRunsBefore } from './runs.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long operational rows are kept once they have served their purpose. */
export const RETENTION = {
  /** Sent email is kept a month so that "did the invitation go?" can be answered, then its encrypted copy goes. */
  sentEmailDays: 30,
  /** Throttle rows matter only while they can still lock someone out (15 minutes); a day is generous. */
  signInThrottleDays: 1,
  /** Used or expired invitation and reset links are useless; a week keeps them for support questions. */
  spentLinkDays: 7,
  /** Job history for `jobs list` and diagnosing missed ticks. */
  jobRunDays: 30,
} as const;

export interface RetentionReport {
  readonly sentEmails: number;
  readonly throttleRows: number;
  readonly spentLinks: number;
  readonly jobRuns: number;
}

/** Deletes rows that are no longer needed. Idempotent, and safe to run on several instances at once. */
export async function applyRetention(db: Db, now: Date): Promise<RetentionReport> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const sentEmails = await trx
      .deleteFrom('outbox_messages')
      .where('status', '=', 'sent')
      .where('sent_at', '<', daysAgo(RETENTION.sentEmailDays))
      .executeTakeFirst();
    const throttleRows = await trx
      .deleteFrom('sign_in_throttle')
      .where('first_failure_at', '<', daysAgo(RETENTION.signInThrottleDays))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]))
      .executeTakeFirst();
    const spentLinks = await trx
      .deleteFrom('user_tokens')
      .where((eb) =>
        eb.or([
          eb('used_at', '<', daysAgo(RETENTION.spentLinkDays)),
          eb('expires_at', '<', daysAgo(RETENTION.spentLinkDays)),
        ]),
      )
      .executeTakeFirst();
    const jobRuns = await deleteRunsBefore(trx, daysAgo(RETENTION.jobRunDays));
    return {
      sentEmails: Number(sentEmails.numDeletedRows),
      throttleRows: Number(throttleRows.numDeletedRows),
      spentLinks: Number(spentLinks.numDeletedRows),
      jobRuns,
    };
  });
}
