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
  if (typeof input !== 'string') return undefined
  const builtIn = parseBaseRole(input)
  if (builtIn) return { name: builtIn, baseRole: builtIn }
  const name = input.trim().toUpperCase()
  if (name.length === 0 || name.length > 50) return undefined
  const custom = await findCustomRole(db, accountId, name)
  const base = parseBaseRole(custom?.base_role)
  return custom && base ? { name: custom.name, baseRole: base } : undefined
}
