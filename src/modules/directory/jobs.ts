import type { JobDefinition } from '../../platform/modules.js';

/** A job with the line the operator sees in `jobs list`. */
type DescribedJob = JobDefinition & { readonly description: string };

export const flagReviewsJob: DescribedJob = {
  name: 'directory.flag-reviews',
  cron: '15 6 * * *',
  description: 'Flag published directory services not reviewed for 6 months and email the directory editors a link to the list.',
  async run(services) {
    await services.directory.editor.flagReviewsDue();
  },
};

export const callbackRetentionJob: DescribedJob = {
  name: 'directory.callback-retention',
  cron: '40 2 * * *',
  description: 'Delete call-back requests 30 days after they are closed, and any request after 90 days.',
  async run(services) {
    await services.directory.callbacks.deleteExpired();
  },
};
