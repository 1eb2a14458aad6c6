import { activeHoldersOf } from '../../../platform/access/users.js';
import type { AuditEntry } from '../../../platform/audit/service.js';
import { newId } from '../../../platform/db/ids.js';
import { markChased, overdueToChase } from './repository.js';
import type { ReferralInboxDeps } from './service.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Enough for any real backlog in one run; the next run picks up the rest. */
const BATCH = 1000;

export const CHASE_SUBJECT = 'Referrals are waiting for first contact';

/**
 * The email says only that something is waiting, with a link to the inbox: never a name, a reference, a district
 * or a count that could tell a reader of someone else's mailbox anything (see platform/notify/message-guard.ts).
 */
export function chaseBody(baseUrl: string): string {
  const link = `${baseUrl.replace(/\/$/, '')}/app/inbox?overdue=yes`;
  return [
    'One or more referrals sent to your organisation have passed their first-contact target.',
    '',
    'Sign in to see them:',
    link,
    '',
    'This is an automatic message from the Kent and Medway Domestic Abuse Partnership Platform.',
  ].join('\n');
}

export function createOverdueChase(deps: ReferralInboxDeps) {
  const { db, crypto, audit, outbox, clock, baseUrl } = deps;

  return {
    /**
     * Chases every overdue route not chased in the last 24 hours: an event on the referral, last_chased_at set,
     * and one email per run to each person who receives referrals in that organisation. Safe to run on several
     * instances at once: a route is only chased by the run whose conditional update marks it.
     */
    async chaseOverdue(): Promise<{ readonly routes: number; readonly emails: number }> {
      const now = clock();
      const at = now.toISOString();
      const chasedBefore = new Date(now.getTime() - DAY_MS).toISOString();
      const due = await overdueToChase(db.kysely, at, chasedBefore, BATCH);
      const byOrganisation = new Map<string, typeof due>();
      for (const route of due) byOrganisation.set(route.organisation_id, [...(byOrganisation.get(route.organisation_id) ?? []), route]);

      let routes = 0;
      let emails = 0;
      for (const [organisationId, overdue] of byOrganisation) {
        await db.kysely.transaction().execute(async (trx) => {
          const chased: AuditEntry[] = [];
          for (const route of overdue) {
            if (!(await markChased(trx, route.id, at, chasedBefore))) continue;
            await trx
              .insertInto('referral_events')
              .values({ id: newId(), referral_id: route.referral_id, route_id: route.id, at, kind: 'overdue_chased', actor_user_id: null, actor_organisation_id: null, details: JSON.stringify({ organisationId, dueAt: route.first_contact_due_at }), note_enc: null })
              .execute();
            chased.push({ action: 'REFERRAL_OVERDUE_CHASED', recordType: 'referral', recordId: route.referral_id, details: { routeId: route.id, organisationId } });
          }
          if (chased.length === 0) return;
          routes += chased.length;
          const recipients = await activeHoldersOf(trx, 'referrals.receive', [organisationId]);
          for (const recipient of recipients) {
            await outbox.enqueueWith(trx, { to: crypto.decrypt(recipient.email_enc), subject: CHASE_SUBJECT, body: chaseBody(baseUrl) });
            emails += 1;
          }
          // Last, in one step: appending holds the audit chain until this transaction commits.
          await audit.recordAllWith(trx, chased);
        });
      }
      return { routes, emails };
    },
  };
}
