import type { FeatureModule } from '../../platform/modules.js';
import { localesOf } from '../../platform/i18n/translator.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import { registerContentEditor } from './routes/editor-pages.js';
import { registerHelplineEditor } from './routes/editor-helplines.js';
import { registerVideoEditor } from './routes/editor-videos.js';
import { registerPublicPages } from './routes/public-pages.js';

const views = [viewsOf(import.meta.url)];
const locales = [localesOf(import.meta.url)];

/** The public support site: home, information pages, the help-now numbers and quick exit on every public page. */
export const supportModule: FeatureModule = {
  name: 'support',
  surface: 'public',
  viewFolders: views,
  localeFolders: locales,
  async register(app, services) {
    await services.support.ensureSeeded();
    registerPublicPages(app, services);
  },
};

/** Where partnership staff edit, preview, publish and trace the public pages and the help-now numbers. */
export const supportEditorModule: FeatureModule = {
  name: 'support-editor',
  surface: 'professional',
  viewFolders: views,
  // The public layout is also used for errors on an instance serving only the professional surface.
  localeFolders: locales,
  navigation: [{ href: '/app/content', text: 'Public site content', permission: 'content.manage' }],
  async register(app, services) {
    await services.support.ensureSeeded();
    registerContentEditor(app, services);
    registerHelplineEditor(app, services);
    await registerVideoEditor(app, services);
  },
};
