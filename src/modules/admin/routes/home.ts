import type { FastifyInstance } from 'fastify';
import { can } from '../../../platform/access/policy.js';
import type { Services } from '../../../services.js';
import { actorOf } from './common.js';

/** The administration landing page: only the sections this person's roles open. */
export function registerAdminHomeRoute(app: FastifyInstance, services: Services): void {
  app.get('/app/admin', { config: { access: 'admin.view' } }, async (request, reply) => {
    const actor = actorOf(request);
    const sections = [
      { permission: 'organisations.manage', href: '/app/admin/organisations', title: 'Organisations', text: 'Add partner organisations, change their details or mark them inactive.' },
      {
        permission: 'users.manage',
        href: '/app/admin/users',
        title: actor.roles.includes('system_admin') ? 'Users' : 'Users in your organisation',
        text: 'Invite people, change their roles, and disable or re-enable accounts.',
      },
      { permission: 'reference.manage', href: '/app/admin/areas', title: 'Areas', text: 'The districts and boroughs of the partnership: population and main towns.' },
      { permission: 'reference.manage', href: '/app/admin/postcode-districts', title: 'Postcode districts', text: 'Which areas each postcode district covers, used to route referrals and find local services.' },
    ] as const;
    const organisation = await services.reference.getOrganisation(actor.organisationId);
    return reply.render('admin/home.njk', {
      organisationName: organisation?.name,
      sections: sections.filter((section) => can(actor, section.permission)),
    });
  });
}
