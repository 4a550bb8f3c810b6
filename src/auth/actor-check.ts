import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { can, type Action } from '../roles/permissions.ts'
import { parseBaseRole, type BaseRole } from '../roles/role.ts'
import type { Actor } from '../shared/actor.ts'
import { commonError, roleForbidden } from '../shared/errors.ts'
import { findMemberById } from '../team/membership.repository.ts'

/**
 * Re-reads the actor's membership inside the use case's transaction: between authentication and
 * the locked write, the actor may have been removed or demoted by a concurrent request.
 * Returns the actor's current base role.
 */
export async function assertActorMay(db: Kysely<Database>, actor: Actor, action: Action): Promise<BaseRole> {
  return assertMemberMay(await findMemberById(db, actor.accountId, actor.userId), action)
}

/** The same check on the actor's membership as the caller has just read it, in its transaction. */
export function assertMemberMay(
  member: { role: string; baseRole: string | null; suspendedAt: number | null } | undefined,
  action: Action,
): BaseRole {
  const base = parseBaseRole(member?.baseRole)
  if (!member || !base || member.suspendedAt !== null) throw commonError('UNAUTHENTICATED')
  if (!can(base, action)) throw roleForbidden(base)
  return base
}
