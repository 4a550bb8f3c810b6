/**
 * The membership rules every door shares — the API's team use cases and SCIM's provisioning
 * ones — so that each rule is written once.
 */
import type { Kysely, Transaction } from 'kysely'
import { revokeKeysOfMember } from '../api-keys/api-key.repository.ts'
import { audit } from '../audit/audit.service.ts'
import type { Database } from '../db/schema.ts'
import { parseBaseRole, type BaseRole } from '../roles/role.ts'
import type { RequestContext, SystemContext } from '../shared/actor.ts'
import { countAdmins } from './membership.repository.ts'
import { teamError } from './team.errors.ts'

/** Hooks other domains add to the end of a member's access (e.g. ending their sessions). */
export type OnMemberRemoved = (trx: Transaction<Database>, accountId: number, userId: number) => Promise<void>

export function baseOf(role: string): BaseRole {
  // Rows always resolve: custom roles cannot be deleted while in use.
  return parseBaseRole(role) ?? 'GUEST'
}

/**
 * The account keeps at least one active ADMIN: a change that takes ADMIN away from `losing` active
 * ADMINs at once (one member removed, suspended or demoted; every holder of a custom role whose
 * base role drops below ADMIN) must leave one. Call inside the account lock, before the change.
 */
export async function assertAdminsRemain(db: Kysely<Database>, accountId: number, losing: number) {
  if (losing > 0 && (await countAdmins(db, accountId)) <= losing) throw teamError('LAST_ADMIN')
}

/** The same rule for one member who would have `to` (null: removed or suspended). */
export async function assertKeepsAnAdmin(
  db: Kysely<Database>,
  accountId: number,
  member: { baseRole: string; suspendedAt: number | null },
  to: BaseRole | null,
) {
  const counts = member.suspendedAt === null && baseOf(member.baseRole) === 'ADMIN'
  await assertAdminsRemain(db, accountId, counts && to !== 'ADMIN' ? 1 : 0)
}

/**
 * Ends a member's access to the account at once: their API keys are revoked, each audited as
 * `api_key.revoke` (with its `api_key.revoked` webhook event) by whoever ends the access, and every
 * hook runs (their sessions end; an OIDC provider adds its refresh-token revocation here). Used on
 * removal and on suspension.
 */
export async function endMemberAccess(
  trx: Transaction<Database>,
  ctx: RequestContext | SystemContext,
  hooks: readonly OnMemberRemoved[],
  member: { accountId: number; userId: number },
  now: number,
) {
  const { accountId, userId } = member
  for (const id of await revokeKeysOfMember(trx, accountId, userId, now))
    await audit(trx, ctx, { accountId, action: 'api_key.revoke', target: String(id), now })
  for (const hook of hooks) await hook(trx, accountId, userId)
}
