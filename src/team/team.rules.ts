/**
 * The membership rules every door shares — the API's team use cases and SCIM's provisioning
 * ones — so that each rule is written once.
 */
import type { Kysely, Transaction } from 'kysely'
import { revokeKeysOfMember } from '../api-keys/api-key.repository.ts'
import type { Database } from '../db/schema.ts'
import { parseBaseRole, type BaseRole } from '../roles/role.ts'
import { countAdmins } from './membership.repository.ts'
import { teamError } from './team.errors.ts'

/** Hooks other domains add to the end of a member's access (e.g. ending their sessions). */
export type OnMemberRemoved = (trx: Transaction<Database>, accountId: number, userId: number) => Promise<void>

export function baseOf(role: string): BaseRole {
  // Rows always resolve: custom roles cannot be deleted while in use.
  return parseBaseRole(role) ?? 'GUEST'
}

/**
 * The account keeps at least one active ADMIN: a member who is one now and would not be after
 * the change (`to` null: removed or suspended) must not be the last. Call inside the account lock.
 */
export async function assertKeepsAnAdmin(
  db: Kysely<Database>,
  accountId: number,
  member: { baseRole: string; suspendedAt: number | null },
  to: BaseRole | null,
) {
  const counts = member.suspendedAt === null && baseOf(member.baseRole) === 'ADMIN'
  if (counts && to !== 'ADMIN' && (await countAdmins(db, accountId)) <= 1) throw teamError('LAST_ADMIN')
}

/**
 * Ends a member's access to the account at once: their API keys are revoked and every hook runs
 * (their sessions end; an OIDC provider adds its refresh-token revocation here). Used on removal
 * and on suspension.
 */
export async function endMemberAccess(
  trx: Transaction<Database>,
  hooks: readonly OnMemberRemoved[],
  accountId: number,
  userId: number,
  now: number,
) {
  await revokeKeysOfMember(trx, accountId, userId, now)
  for (const hook of hooks) await hook(trx, accountId, userId)
}
