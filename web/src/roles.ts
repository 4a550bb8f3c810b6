import type { CustomRole } from './api.ts'

/**
 * The roles a user may grant: their built-in hierarchy (the server's `roleHierarchy`) plus custom
 * roles built on one of those. The server checks again; this only keeps the choices honest.
 */
export function grantableRoles(hierarchy: readonly string[], custom: readonly CustomRole[]): string[] {
  return [...hierarchy, ...custom.filter((r) => hierarchy.includes(r.baseRole)).map((r) => r.name)]
}
