import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../../platform/access/policy.js';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { singleError, type FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { rolesForm, versionForm } from '../schemas.js';
import { AdminRuleError, displayStatus } from '../service.js';
import { formLevelError, STALE_MESSAGE } from '../../../platform/views/stale-edit.js';
import { loadManagedUser, noticeOf } from './common.js';
import { roleChoices, USERS } from './users.js';

const NOTICES = {
  invited: 'Invitation sent. They have 7 days to accept it.',
  resent: 'A new invitation has been sent. The earlier link no longer works.',
  roles: 'Roles updated. The change applies from their next page.',
  disabled: 'Account disabled. They have been signed out everywhere.',
  enabled: 'Account enabled. They can sign in again.',
  'enabled-invited': 'Account enabled. They have not accepted their invitation yet: send them a new one below.',
  'authenticator-reset': 'Authenticator app reset. They have been signed out everywhere and emailed; they set up their app again when they next sign in.',
};

/** Changes to an account that an administrator confirms on a page of their own. */
type ConfirmedChange = 'disable' | 'enable' | 'resetAuthenticator';

type Managed = Awaited<ReturnType<typeof loadManagedUser>>;

export function registerUserRoutes(app: FastifyInstance, services: Services): void {
  const { admin } = services;
  const manage = { config: { access: 'users.manage' as const } };
  const userPath = (id: string) => `${USERS}/${id}`;

  app.get(`${USERS}/:userId`, manage, async (request, reply) => {
    const { actor, user, organisation } = await loadManagedUser(request, services);
    await admin.recordViewed(actor, user, originOfRequest(request));
    return reply.render('admin/user.njk', {
      user,
      organisation,
      notice: noticeOf(request, NOTICES),
      statusText: displayStatus(user),
      roleNames: user.roles.map((role) => ROLES[role]),
      isSelf: actor.userId === user.id,
      canChange: user.roles.every((role) => admin.assignableRoles(actor).includes(role)),
    });
  });

  function renderRoles(reply: FastifyReply, managed: Managed, selected: readonly string[], errors?: FormErrors) {
    return reply.render('admin/user-roles.njk', {
      user: managed.user,
      errors,
      // A change the rules never allow is said before anything is chosen, not after it is sent.
      refusal: admin.refusalToChange(managed.actor, managed.user, 'roles'),
      roleChoices: roleChoices(admin.assignableRoles(managed.actor)).map((choice) => ({ ...choice, checked: selected.includes(choice.value) })),
    });
  }

  app.get(`${USERS}/:userId/roles`, manage, async (request, reply) => {
    const managed = await loadManagedUser(request, services);
    return renderRoles(reply, managed, managed.user.roles);
  });

  app.post(`${USERS}/:userId/roles`, manage, async (request, reply) => {
    const managed = await loadManagedUser(request, services);
    const form = parseForm(rolesForm(admin.assignableRoles(managed.actor)), request);
    if (!form.ok) return renderRoles(reply.code(400), managed, [form.values['roles'] ?? []].flat().map(String), form.errors);
    try {
      await admin.changeRoles(managed.actor, managed.user, form.data.version, form.data.roles, originOfRequest(request));
    } catch (error: unknown) {
      if (error instanceof AdminRuleError) return renderRoles(reply.code(400), managed, form.data.roles, singleError('roles', error.message));
      if (error instanceof StaleVersionError) {
        const latest = await loadManagedUser(request, services);
        return renderRoles(reply.code(409), latest, latest.user.roles, formLevelError(STALE_MESSAGE('account'), 'roles'));
      }
      throw error;
    }
    return reply.redirect(`${userPath(managed.user.id)}?notice=roles`, 303);
  });

  const confirmationPage = (change: Exclude<ConfirmedChange, 'enable'>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { actor, user } = await loadManagedUser(request, services);
    return reply.render('admin/user-confirm.njk', { user, change, refusal: admin.refusalToChange(actor, user, change) });
  };
  app.get(`${USERS}/:userId/disable`, manage, confirmationPage('disable'));
  app.get(`${USERS}/:userId/reset-authenticator`, manage, confirmationPage('resetAuthenticator'));

  /** Runs a confirmed change and turns a broken rule or a stale version into the confirmation page with an error. */
  async function changeStatus(request: FastifyRequest, reply: FastifyReply, change: ConfirmedChange, notice: keyof typeof NOTICES) {
    const managed = await loadManagedUser(request, services);
    const form = parseForm(versionForm, request);
    const errorPage = (errors: FormErrors, user = managed.user) => reply.code(400).render('admin/user-confirm.njk', { user, errors, change });
    if (!form.ok) return errorPage(form.errors);
    try {
      await admin[change](managed.actor, managed.user, form.data.version, originOfRequest(request));
    } catch (error: unknown) {
      if (error instanceof AdminRuleError) return errorPage(formLevelError(error.message, 'confirm'));
      if (error instanceof StaleVersionError) {
        const latest = await loadManagedUser(request, services);
        return errorPage(formLevelError('Someone else changed this account a moment ago, so nothing was changed. Check its details and try again.', 'confirm'), latest.user);
      }
      throw error;
    }
    // An account that never set a password is waiting for its invitation again, not able to sign in.
    const said = notice === 'enabled' && !managed.user.hasPassword ? 'enabled-invited' : notice;
    return reply.redirect(`${userPath(managed.user.id)}?notice=${said}`, 303);
  }

  app.post(`${USERS}/:userId/disable`, manage, (request, reply) => changeStatus(request, reply, 'disable', 'disabled'));
  app.post(`${USERS}/:userId/enable`, manage, (request, reply) => changeStatus(request, reply, 'enable', 'enabled'));
  app.post(`${USERS}/:userId/reset-authenticator`, manage, (request, reply) => changeStatus(request, reply, 'resetAuthenticator', 'authenticator-reset'));

  app.post(`${USERS}/:userId/resend-invitation`, manage, async (request, reply) => {
    const { actor, user } = await loadManagedUser(request, services);
    try {
      await admin.resendInvitation(actor, user, originOfRequest(request));
    } catch (error: unknown) {
      if (error instanceof UserFacingError && error.statusCode === 409) throw new UserFacingError(409, error.message, 'This invitation cannot be sent again');
      throw error;
    }
    return reply.redirect(`${userPath(user.id)}?notice=resent`, 303);
  });
}
