import { can, ROLE_NAMES, type Actor, type Role } from '../../platform/access/policy.js';
import type { UserService } from '../../platform/access/user-service.js';
import type { User } from '../../platform/access/users.js';
import { actedBy, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import { UserFacingError } from '../../platform/http/errors.js';
import type { Organisation, ReferenceService } from './reference-service.js';

/**
 * Roles whose permissions reach past one organisation (every organisation's services and pages, the routing rules
 * that decide who receives referrals, the whole audit trail): only a system administrator may give or take them.
 * An organisation administrator who could give them could give them to themselves, or to a colleague, and route
 * other organisations' referrals to their own.
 */
const PARTNERSHIP_ROLES: readonly Role[] = ['system_admin', 'auditor', 'directory_editor', 'partnership_officer'];

/** The roles this person may give: an organisation administrator gives only roles that stay inside their organisation. */
export function assignableRoles(actor: Actor): Role[] {
  return actor.roles.includes('system_admin') ? [...ROLE_NAMES] : ROLE_NAMES.filter((role) => !PARTNERSHIP_ROLES.includes(role));
}

export type ManagedUser =
  | { readonly kind: 'ok'; readonly user: User; readonly organisation: Organisation }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'out-of-scope'; readonly organisationId: string };

/** A rule broken by what was asked; the message says what to do instead. */
export class AdminRuleError extends UserFacingError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(400, message);
  }
}

export interface AdminDeps {
  readonly users: UserService;
  readonly reference: ReferenceService;
  readonly audit: AuditService;
}

/**
 * The rules of administering partner staff accounts, on top of the platform's user service: who may manage whom,
 * which roles they may give, and the guards that stop an administrator locking themselves out.
 */
export function createAdminService({ users, reference, audit }: AdminDeps) {
  /** The roles given must be ones the actor may give, whichever page or command asks. */
  function assertCanGive(actor: Actor, roles: readonly Role[]): void {
    const allowed = assignableRoles(actor);
    if (roles.some((role) => !allowed.includes(role))) throw new AdminRuleError('roles', 'Select only roles you are allowed to give');
  }

  /** Someone holding a role the actor cannot give is beyond the actor's reach, even in the same organisation. */
  function beyondReach(actor: Actor, user: User): string | undefined {
    const allowed = assignableRoles(actor);
    return user.roles.some((role) => !allowed.includes(role)) ? 'Only a system administrator can change this account, because it has a partnership-wide role.' : undefined;
  }

  function assertCanChange(actor: Actor, user: User): void {
    const refusal = beyondReach(actor, user);
    if (refusal) throw new AdminRuleError('roles', refusal);
  }

  /**
   * Why the actor may not change this account's roles or disable it, or undefined when they may. Nobody raises their
   * own access, takes away the role that would let them undo a mistake, or locks themselves out.
   */
  function refusalToChange(actor: Actor, user: User, change: 'roles' | 'disable' | 'resetAuthenticator'): string | undefined {
    if (actor.userId === user.id) return OWN_CHANGE_REFUSALS[change];
    return beyondReach(actor, user);
  }

  return {
    assignableRoles,
    refusalToChange,

    /** Finds a user and says whether the actor may manage them; the caller refuses and records out-of-scope access. */
    async findManageable(actor: Actor, userId: string): Promise<ManagedUser> {
      const user = await users.get(userId);
      if (!user) return { kind: 'not-found' };
      if (!can(actor, 'users.manage', { kind: 'organisation', organisationId: user.organisationId })) {
        return { kind: 'out-of-scope', organisationId: user.organisationId };
      }
      const organisation = await reference.getOrganisation(user.organisationId);
      if (!organisation) return { kind: 'not-found' };
      return { kind: 'ok', user, organisation };
    },

    /** Reading someone's details is itself recorded. */
    async recordViewed(actor: Actor, user: User, origin: RequestOrigin): Promise<void> {
      await audit.record({
        action: 'USER_VIEWED',
        ...actedBy(actor),
        recordType: 'user',
        recordId: user.id,
        details: { organisationId: user.organisationId },
        ...origin,
      });
    },

    /** The organisations this actor may invite people into. */
    async invitableOrganisations(actor: Actor): Promise<Organisation[]> {
      const all = await reference.listOrganisations();
      return all.filter((organisation) => organisation.active === 1 && can(actor, 'users.manage', { kind: 'organisation', organisationId: organisation.id }));
    },

    async invite(actor: Actor, input: { name: string; email: string; organisationId: string; roles: Role[] }, origin: RequestOrigin): Promise<string> {
      const organisation = await reference.getOrganisation(input.organisationId);
      if (!organisation || organisation.active !== 1 || !can(actor, 'users.manage', { kind: 'organisation', organisationId: organisation.id })) {
        throw new AdminRuleError('organisationId', 'Select an organisation from the list');
      }
      assertCanGive(actor, input.roles);
      try {
        return await users.invite(actor, input, origin);
      } catch (error: unknown) {
        if (error instanceof UserFacingError && error.statusCode === 409) throw new AdminRuleError('email', 'There is already an account with this email address');
        throw error;
      }
    },

    async changeRoles(actor: Actor, user: User, version: number, roles: Role[], origin: RequestOrigin): Promise<void> {
      const refusal = refusalToChange(actor, user, 'roles');
      if (refusal) throw new AdminRuleError('roles', refusal);
      assertCanGive(actor, roles);
      await users.update(actor, user.id, version, { roles }, origin);
    },

    async disable(actor: Actor, user: User, version: number, origin: RequestOrigin): Promise<void> {
      const refusal = refusalToChange(actor, user, 'disable');
      if (refusal) throw new AdminRuleError('form', refusal);
      if (user.status === 'disabled') return;
      await users.update(actor, user.id, version, { status: 'disabled' }, origin);
    },

    async enable(actor: Actor, user: User, version: number, origin: RequestOrigin): Promise<void> {
      assertCanChange(actor, user);
      if (user.status !== 'disabled') return;
      await users.update(actor, user.id, version, { status: 'active' }, origin);
    },

    /** Someone who lost their app and codes signs in with their password and sets up a new one; the reset is theirs to hear of. */
    async resetAuthenticator(actor: Actor, user: User, version: number, origin: RequestOrigin): Promise<void> {
      const refusal = refusalToChange(actor, user, 'resetAuthenticator');
      if (refusal) throw new AdminRuleError('form', refusal);
      if (!user.hasSecondFactor) throw new AdminRuleError('form', `${user.name} has not set up an authenticator app, so there is nothing to reset: they set one up when they next sign in.`);
      await users.resetAuthenticator(actor, user.id, version, origin);
    },

    /** A new invitation replaces the old link, so it is a change to the account like any other. */
    async resendInvitation(actor: Actor, user: User, origin: RequestOrigin): Promise<void> {
      assertCanChange(actor, user);
      await users.resendInvitation(actor, user.id, origin);
    },
  };
}

/** Changes nobody makes to their own account: each would raise their access, or take away their way back in. */
const OWN_CHANGE_REFUSALS = {
  roles: 'You cannot change your own roles. Ask another administrator to do it.',
  disable: 'You cannot disable your own account. Ask another administrator to do it.',
  resetAuthenticator: 'You cannot reset your own authenticator app. Ask another administrator to do it.',
} as const;

export type AdminService = ReturnType<typeof createAdminService>;

/** What a person sees as the account's state: an account that never set a password is still an invitation. */
export function displayStatus(user: Pick<User, 'status' | 'hasPassword'>): 'Disabled' | 'Invited' | 'Active' {
  if (user.status === 'disabled') return 'Disabled';
  return user.hasPassword ? 'Active' : 'Invited';
}
