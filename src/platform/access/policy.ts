/**
 * Roles and the one policy function that decides every permission. Deny by default: a role holds only what
 * is listed for it here, and a permission with a resource also checks that the resource is the actor's to touch.
 */
export const ROLES = {
  practitioner: 'Practitioner: makes referrals and sees their own',
  service_manager: 'Receiving service: sees referrals routed to their service',
  marac_coordinator: 'MARAC coordinator',
  directory_editor: 'Directory and content editor',
  partnership_officer: 'Partnership delivery officer',
  organisation_admin: "Organisation administrator: manages their own organisation's users",
  system_admin: 'System administrator: organisations, users and reference data',
  auditor: 'Auditor: searches and exports the audit trail',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export const PERMISSIONS = [
  'account.use',
  'admin.view',
  'organisations.manage',
  'users.manage',
  'reference.manage',
  'audit.search',
  'apikeys.manage',
  'directory.manage',
  'content.manage',
  'callbacks.receive',
  'referrals.create',
  'referrals.receive',
  'routing.manage',
  'reports.view',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  practitioner: ['account.use', 'referrals.create'],
  service_manager: ['account.use', 'referrals.create', 'referrals.receive', 'callbacks.receive', 'reports.view'],
  marac_coordinator: ['account.use', 'referrals.create', 'referrals.receive', 'reports.view'],
  directory_editor: ['account.use', 'directory.manage', 'content.manage'],
  partnership_officer: ['account.use', 'content.manage', 'routing.manage', 'reports.view'],
  organisation_admin: ['account.use', 'admin.view', 'users.manage', 'apikeys.manage'],
  system_admin: ['account.use', 'admin.view', 'organisations.manage', 'users.manage', 'reference.manage', 'apikeys.manage'],
  auditor: ['account.use', 'audit.search'],
};

export interface Actor {
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
}

/** What a permission is being used on, where the answer depends on it. */
export type Resource = { readonly kind: 'organisation'; readonly organisationId: string };

export function can(actor: Actor | undefined, permission: Permission, resource?: Resource): boolean {
  if (!actor) return false;
  const granted = actor.roles.some((role) => GRANTS[role].includes(permission));
  if (!granted || !resource) return granted;
  return withinScope(actor, permission, resource);
}

function withinScope(actor: Actor, permission: Permission, resource: Resource): boolean {
  // An organisation administrator manages only their own organisation's users and API keys.
  if ((permission === 'users.manage' || permission === 'apikeys.manage') && !actor.roles.includes('system_admin')) {
    return resource.organisationId === actor.organisationId;
  }
  return true;
}

export function isRole(value: string): value is Role {
  return value in ROLES;
}
