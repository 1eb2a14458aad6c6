import { can, type Actor } from '../../platform/access/policy.js';
import { remainingRecoveryCodes } from '../../platform/auth/recovery-codes.js';
import type { FeatureModule, NavItem, Waiting } from '../../platform/modules.js';
import { viewsOf } from '../../platform/views/nunjucks.js';
import type { Services } from '../../services.js';

/** What is waiting for this person in every part of the platform they can use: counts and links, never a case. */
async function waitingFor(navigation: readonly NavItem[], services: Services, actor: Actor) {
  const askable = navigation.filter((item) => item.waiting !== undefined && can(actor, item.permission));
  const lists = await Promise.all(askable.map((item) => item.waiting?.(services, actor) ?? Promise.resolve<readonly Waiting[]>([])));
  return { asked: askable.length > 0, waiting: lists.flat() };
}

export const homeModule: FeatureModule = {
  name: 'home',
  surface: 'professional',
  viewFolders: [viewsOf(import.meta.url)],
  navigation: [{ href: '/app', text: 'Home', permission: 'account.use' }],
  register(app, services) {
    app.get('/app', { config: { access: 'account.use' } }, async (request, reply) => {
      const actor = request.actor;
      if (!actor) return reply.render('home/home.njk', { asked: false, waiting: [] });
      // Someone with no codes left (all used, or withdrawn by an upgrade) is one lost phone from being locked out.
      const [context, codesLeft] = await Promise.all([waitingFor(app.navigation, services, actor), remainingRecoveryCodes(services.db.kysely, actor.userId)]);
      return reply.render('home/home.njk', { ...context, noRecoveryCodes: codesLeft === 0 });
    });
  },
};
