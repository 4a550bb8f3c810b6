import type { Kysely } from 'kysely'
import { audit } from '../audit/audit.service.ts'
import type { Database } from '../db/schema.ts'
import type { RequestMeta } from '../shared/actor.ts'
import { findUserByEmail, insertUser } from '../users/user.repository.ts'
import { insertMembership } from './membership.repository.ts'

/**
 * A membership without an invitation (the operator's `user add`, single sign-on's JIT join), in
 * the caller's account transaction: the user is created when new, and the change is audited.
 * The caller has resolved the role and checked the person is not a member yet.
 */
export async function addMember(
  trx: Kysely<Database>,
  meta: RequestMeta | null,
  m: { accountId: number; email: string; name: string; role: string; now: number; via?: string },
): Promise<{ userId: number }> {
  const existing = await findUserByEmail(trx, m.email)
  const userId = existing?.id ?? (await insertUser(trx, { email: m.email, name: m.name, now: m.now }))
  await insertMembership(trx, { accountId: m.accountId, userId, role: m.role, now: m.now })
  await audit(trx, meta, {
    accountId: m.accountId,
    action: 'member.add',
    target: m.email,
    details: m.via ? { role: m.role, via: m.via } : { role: m.role },
    userId: meta ? userId : null,
    subject: { userId },
    now: m.now,
  })
  return { userId }
}
