import type { Services } from '../../../services.js';
import { seedDemoReferrals } from '../demo.js';

/**
 * The demo inboxes: REFERRALS' synthetic referrals (sent through the real service, so encrypted and routed like
 * real ones) reach the demo service and the MARAC Hub; one of the demo service's is made overdue so the red
 * "Overdue" state and the chase can be seen. Idempotent.
 */
export async function seedDemoInbox(services: Services): Promise<void> {
  await seedDemoReferrals(services);
  const organisation = await services.reference.getOrganisationBySlug('demo-support-service');
  if (!organisation) return;
  const { kysely } = services.db;
  const now = services.clock();
  const overdue = await kysely
    .selectFrom('referral_routes')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('first_contact_at', 'is', null)
    .where('first_contact_due_at', '<', now.toISOString())
    .limit(1)
    .executeTakeFirst();
  if (overdue) return;
  const oldest = await kysely.selectFrom('referral_routes').select(['id', 'created_at']).where('organisation_id', '=', organisation.id).where('status', '=', 'new').orderBy('created_at').limit(1).executeTakeFirst();
  if (!oldest) return;
  // Received four days ago and due two days ago: overdue whatever day of the week the demo starts on.
  const received = new Date(now.getTime() - 4 * 86_400_000);
  const due = new Date(now.getTime() - 2 * 86_400_000 - 3_600_000);
  await kysely.updateTable('referral_routes').set({ created_at: received.toISOString(), first_contact_due_at: due.toISOString() }).where('id', '=', oldest.id).execute();
}
