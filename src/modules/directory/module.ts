import type { FeatureModule } from '../../platform/modules.js';
import { plural } from '../../platform/views/counted.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import { registerCallbackInbox } from './callbacks/inbox-routes.js';
import { registerCallbackPublicRoutes } from './callbacks/public-routes.js';
import { seedDirectoryDemo } from './demo.js';
import { callbackRetentionJob, flagReviewsJob } from './jobs.js';
import { DIRECTORY_LOCALES } from './locales.js';
import { registerManagementRoutes } from './manage/routes.js';
import { ORUK_PATH, registerOrukApi } from './oruk/routes.js';
import { registerFinderRoutes } from './routes/public-finder.js';

const views = [viewsOf(import.meta.url)];

/** The public side: the service finder, service pages, safe call-back requests and the Open Referral UK API. */
export const directoryModule: FeatureModule = {
  name: 'directory',
  surface: 'public',
  viewFolders: views,
  localeFolders: [DIRECTORY_LOCALES],
  encryptedColumns: [
    { table: 'directory_callback_requests', primaryKey: 'id', columns: ['name_enc', 'phone_enc', 'safe_times_enc', 'safe_word_enc', 'notes_enc'] },
    { table: 'directory_locations', primaryKey: 'id', columns: ['confidential_address_enc'] },
  ],
  openDataPaths: [ORUK_PATH],
  async register(app, services) {
    registerFinderRoutes(app, services);
    registerCallbackPublicRoutes(app, services);
    await registerOrukApi(app, services);
  },
  seedDemo: seedDirectoryDemo,
};

/** The professional side: directory management and each service's call-back inbox. */
export const directoryManagementModule: FeatureModule = {
  name: 'directory-management',
  surface: 'professional',
  viewFolders: views,
  localeFolders: [DIRECTORY_LOCALES],
  navigation: [
    {
      href: '/app/directory',
      text: 'Service directory',
      permission: 'directory.manage',
      async waiting(services) {
        const due = (await services.directory.editor.reviewsDue()).length;
        return due > 0 ? [{ text: `${plural(due, 'service has', 'services have')} not been reviewed for 6 months`, href: '/app/directory/reviews' }] : [];
      },
    },
    {
      href: '/app/call-backs',
      text: 'Call-back requests',
      permission: 'callbacks.receive',
      async waiting(services, actor) {
        const fresh = await services.directory.callbacks.newCount(actor);
        return fresh > 0 ? [{ text: `${plural(fresh, 'new call-back request', 'new call-back requests')} to arrange`, href: '/app/call-backs?status=new' }] : [];
      },
    },
  ],
  jobs: [flagReviewsJob, callbackRetentionJob],
  register(app, services) {
    registerManagementRoutes(app, services);
    registerCallbackInbox(app, services);
  },
};
