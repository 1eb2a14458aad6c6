import type { FeatureModule } from '../modules.js';
import { viewsOf } from '../views/nunjucks.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerLinkRoutes } from './routes/links.js';
import { registerSecondFactorRoutes } from './routes/second-factor.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import { registerSsoSettingsRoutes } from './routes/sso-settings.js';
import { registerSsoRoutes } from './routes/sso.js';

export const authModule: FeatureModule = {
  name: 'auth',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  register(app, services) {
    registerSignInRoutes(app, services);
    registerSecondFactorRoutes(app, services);
    registerLinkRoutes(app, services);
    registerAccountRoutes(app, services);
    registerSsoRoutes(app, services);
    registerSsoSettingsRoutes(app, services);
  },
};
