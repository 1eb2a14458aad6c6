import type { FeatureModule } from '../../platform/modules.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import { registerAdminHomeRoute } from './routes/home.js';
import { registerOrganisationRoutes } from './routes/organisations.js';
import { registerReferenceRoutes } from './routes/reference.js';
import { registerUserRoutes } from './routes/user.js';
import { registerUserListRoutes } from './routes/users.js';

/** Organisations, partner staff accounts and the partnership's reference data. */
export const adminModule: FeatureModule = {
  name: 'admin',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app/admin', text: 'Administration', permission: 'admin.view' }],
  register(app, services) {
    registerAdminHomeRoute(app, services);
    registerOrganisationRoutes(app, services);
    registerUserListRoutes(app, services);
    registerUserRoutes(app, services);
    registerReferenceRoutes(app, services);
  },
};
