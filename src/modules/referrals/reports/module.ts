import type { FeatureModule } from '../../../platform/modules.js';
import { viewsOf } from '../../../platform/views/nunjucks.js';
import { registerReportRoutes } from './routes.js';

/** Referral reports for the partnership: counts by district, risk, route, agency and first contact, small numbers suppressed. */
export const referralReportsModule: FeatureModule = {
  name: 'referrals-reports',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app/reports/referrals', text: 'Referral reports', permission: 'reports.view' }],
  register(app, services) {
    registerReportRoutes(app, services);
  },
};
