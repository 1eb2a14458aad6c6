import type { JobDefinition } from '../../platform/modules.js';

/** Every morning: flag published services not reviewed for six months, so they show on the reminder list. */
export const flagReviewsJob: JobDefinition = {
  name: 'directory-flag-reviews',
  cron: '15 6 * * *',
  async run(services) {
    await services.directory.editor.flagReviewsDue();
  },
};

/** Every night: delete call-back requests once they are no longer needed (see RETENTION_DAYS). */
export const callbackRetentionJob: JobDefinition = {
  name: 'directory-callback-retention',
  cron: '40 2 * * *',
  async run(services) {
    await services.directory.callbacks.deleteExpired();
  },
};
