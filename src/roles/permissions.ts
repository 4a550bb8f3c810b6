/**
 * Who may do what, as data (spec §2's table), and a pure check. Routes ask `can(role, action)`;
 * nothing else compares role names.
 */
import type { BaseRole } from './role.ts'

const everyone: readonly BaseRole[] = ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST']

export const PERMISSIONS = {
  'team:read': everyone,
  'roles:read': everyone,
  'invitations:create': ['ADMIN', 'MEMBER'],
  'members:remove': ['ADMIN'],
  'members:changeRole': ['ADMIN'],
  'members:resetPassword': ['ADMIN'],
  'roles:manage': ['ADMIN'],
  'apiKeys:manageOwn': everyone,
  'audit:read': ['ADMIN'],
  'sso:manage': ['ADMIN'],
  'webhooks:manage': ['ADMIN'],
  'scim:manage': ['ADMIN'],
  'oidcClients:manage': ['ADMIN'],
  // Every signed-in member may see who they are and which accounts they belong to.
  'self:read': everyone,
  'self:switchAccount': everyone,
  // One's own sign-in security: sessions, password, passkeys, turning two-factor off.
  'self:security': everyone,
  // Enrolling a second factor: the one thing a session may do while the account requires one.
  'self:enrolMfa': everyone,
  'account:policy': ['ADMIN'],
} as const satisfies Record<string, readonly BaseRole[]>

export type Action = keyof typeof PERMISSIONS

/**
 * What a session may do before it has proved a second factor in an account that requires one:
 * see who it is, and enrol. Everything else answers MFA_ENROLMENT_REQUIRED.
 */
export const MFA_ENROLMENT_ACTIONS: readonly Action[] = ['self:read', 'self:enrolMfa']

export function can(role: BaseRole, action: Action): boolean {
  return (PERMISSIONS[action] as readonly BaseRole[]).includes(role)
}

/** Every action a role may take (the web page shows only these controls). */
export function allowedActions(role: BaseRole): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => can(role, action))
}
