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
  'roles:manage': ['ADMIN'],
  'apiKeys:manageOwn': everyone,
  'audit:read': ['ADMIN'],
  'oidcClients:manage': ['ADMIN'],
  // Every signed-in member may see who they are and which accounts they belong to.
  'self:read': everyone,
  'self:switchAccount': everyone,
} as const satisfies Record<string, readonly BaseRole[]>

export type Action = keyof typeof PERMISSIONS

export function can(role: BaseRole, action: Action): boolean {
  return (PERMISSIONS[action] as readonly BaseRole[]).includes(role)
}

/** Every action a role may take (the web page shows only these controls). */
export function allowedActions(role: BaseRole): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => can(role, action))
}
