import type { FeatureModule } from '../../platform/modules.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import { registerAuditRoutes } from './routes.js';

/** Searching, exporting and checking the audit trail, for auditors. */
export const auditModule: FeatureModule = {
  name: 'audit',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app/audit', text: 'Audit trail', permission: 'audit.search' }],
  register(app, services) {
    registerAuditRoutes(app, services);
  },
};
