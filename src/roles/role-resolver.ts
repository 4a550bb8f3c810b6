import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { findCustomRole } from './custom-role.repository.ts'
import { parseBaseRole, type BaseRole } from './role.ts'

export interface ResolvedRole {
  /** The name to store and show: canonical built-in name or the custom role's name. */
  readonly name: string
  readonly baseRole: BaseRole
}

/** Resolves a role name given on input (case-insensitive) within one account. */
export async function resolveRole(
  db: Kysely<Database>,
  accountId: number,
  input: unknown,
): Promise<ResolvedRole | undefined> {
  const asked = askedRole(input)
  if (asked?.kind !== 'custom') return asked?.role
  const custom = await findCustomRole(db, accountId, asked.name)
  return resolveCustomRole(asked.name, custom?.base_role)
}

/**
 * What a role given on input names, before any lookup: a built-in role (resolved), the name of a
 * custom role to look up in the account, or nothing valid.
 */
export function askedRole(
  input: unknown,
): { kind: 'built-in'; role: ResolvedRole } | { kind: 'custom'; name: string; role?: undefined } | undefined {
  if (typeof input !== 'string') return undefined
  const builtIn = parseBaseRole(input)
  if (builtIn) return { kind: 'built-in', role: { name: builtIn, baseRole: builtIn } }
  const name = input.trim().toUpperCase()
  if (name.length === 0 || name.length > 50) return undefined
  return { kind: 'custom', name }
}

/** A custom role as looked up by its (upper-cased) name: its stored base role, if it exists. */
export function resolveCustomRole(
  name: string,
  storedBase: string | null | undefined,
): ResolvedRole | undefined {
  const base = parseBaseRole(storedBase)
  return base ? { name, baseRole: base } : undefined
}
