import type { FeatureModule } from '../../platform/modules.js';
import { viewsOf } from '../../platform/views/nunjucks.js';

export const homeModule: FeatureModule = {
  name: 'home',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app', text: 'Home', permission: 'account.use' }],
  register(app) {
    app.get('/app', { config: { access: 'account.use' } }, (_request, reply) => reply.render('home/home.njk'));
  },
};
