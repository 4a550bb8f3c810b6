/** Built-in roles and their hierarchy: pure functions, no I/O. */

export const BUILT_IN_ROLES = ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'] as const
export type BaseRole = (typeof BUILT_IN_ROLES)[number]

/** Names accepted on input for a built-in role (case-insensitive). VIEWER is Akto's old GUEST. */
const ALIASES: Record<string, BaseRole> = { VIEWER: 'GUEST' }

/** Names no custom role may take. */
export const RESERVED_ROLE_NAMES: ReadonlySet<string> = new Set([...BUILT_IN_ROLES, ...Object.keys(ALIASES)])

/** The built-in role a name denotes, or undefined. Case-insensitive, aliases resolved. */
export function parseBaseRole(name: unknown): BaseRole | undefined {
  if (typeof name !== 'string') return undefined
  const upper = name.trim().toUpperCase()
  if ((BUILT_IN_ROLES as readonly string[]).includes(upper)) return upper as BaseRole
  return ALIASES[upper]
}

/** A role's hierarchy: itself and every role below it, highest first. */
export function hierarchyOf(role: BaseRole): BaseRole[] {
  return BUILT_IN_ROLES.slice(BUILT_IN_ROLES.indexOf(role))
}

/** True when `target` is within `actor`'s hierarchy (equal or below). */
export function isWithin(actor: BaseRole, target: BaseRole): boolean {
  return BUILT_IN_ROLES.indexOf(target) >= BUILT_IN_ROLES.indexOf(actor)
}
