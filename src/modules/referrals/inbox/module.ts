import type { FeatureModule, JobDefinition } from '../../../platform/modules.js';
import { viewsOf } from '../../../platform/views/nunjucks.js';
import { seedDemoInbox } from './demo.js';
import { registerActionForms } from './routes/forms.js';
import { registerInboxList } from './routes/list.js';
import { registerReceivedReferralPage } from './routes/referral.js';
import { plural } from '../../../platform/views/counted.js';

export const OVERDUE_CHASE_JOB = 'referrals.chase-overdue';

/** A job with the line the operator sees in `jobs list`. */
const overdueChaseJob: JobDefinition & { readonly description: string } = {
  name: OVERDUE_CHASE_JOB,
  // Every 15 minutes: a route is chased soon after it passes its target, and at most once a day after that.
  cron: '*/15 * * * *',
  description: 'Chase referrals past their first-contact target: an event on the referral and a link-only email to the receiving organisation, at most once a day each.',
  async run(services) {
    await services.referralInbox.chaseOverdue();
  },
};

/**
 * The receiving side of the referral pathway: each organisation's inbox (commissioned services, statutory teams
 * and the MARAC Hub alike), the referral page with accept, decline-and-pass-on, contact attempts and outcomes,
 * and the job that chases first contacts past their target.
 */
export const referralInboxModule: FeatureModule = {
  name: 'referrals-inbox',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [
    {
      href: '/app/inbox',
      text: 'Referrals inbox',
      permission: 'referrals.receive',
      async waiting(services, actor) {
        const { fresh, overdue } = await services.referralInbox.waitingCounts(actor);
        return [
          ...(fresh > 0 ? [{ text: `${plural(fresh, 'new referral', 'new referrals')} to accept or decline`, href: '/app/inbox?status=new' }] : []),
          ...(overdue > 0 ? [{ text: `${plural(overdue, 'referral has', 'referrals have')} passed the first-contact target`, href: '/app/inbox?overdue=yes' }] : []),
        ];
      },
    },
  ],
  register(app, services) {
    registerInboxList(app, services);
    registerReceivedReferralPage(app, services);
    registerActionForms(app, services);
  },
  jobs: [overdueChaseJob],
  seedDemo: seedDemoInbox,
};
