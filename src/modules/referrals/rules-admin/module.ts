import type { FeatureModule } from '../../../platform/modules.js';
import { viewsOf } from '../../../platform/views/nunjucks.js';
import { registerRulesAdminRoutes } from './routes.js';

/** The routing rules editor: versions per MARAC area, a form for thresholds and targets, preview and activation. */
export const routingRulesAdminModule: FeatureModule = {
  name: 'referrals-rules-admin',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app/routing-rules', text: 'Routing rules', permission: 'routing.manage' }],
  register(app, services) {
    registerRulesAdminRoutes(app, services);
  },
};
