/**
 * The `required` rule: for an account that requires single sign-on, a password (sign-in,
 * accepting an invitation, a password session creating API keys) does not let its members in,
 * except the break-glass ADMIN the configuration names, while they are an ADMIN there. One
 * place, asked by every password door.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { findMemberByEmail } from '../team/membership.repository.ts'
import { ssoSignInError } from './sso.errors.ts'
import { requiredSsoConfigs } from './sso.repository.ts'

/** The accounts among these where this email's password is refused. */
export async function accountsRefusingPassword(
  db: Kysely<Database>,
  accountIds: readonly number[],
  email: string,
): Promise<Set<number>> {
  const refusing = new Set<number>()
  for (const row of await requiredSsoConfigs(db, accountIds)) {
    if (row.break_glass_email !== email || !(await isActiveAdmin(db, row.account_id, email)))
      refusing.add(row.account_id)
  }
  return refusing
}

/**
 * The exception is for an ADMIN: named while one, a break-glass user demoted, suspended or
 * removed since is refused like any other member.
 */
async function isActiveAdmin(db: Kysely<Database>, accountId: number, email: string): Promise<boolean> {
  const member = await findMemberByEmail(db, accountId, email)
  return member?.baseRole === 'ADMIN' && member.suspendedAt === null
}

/** Those of a person's accounts where their password lets them in (the rest require SSO). */
export async function accountsTakingPassword<A extends { accountId: number }>(
  db: Kysely<Database>,
  accounts: readonly A[],
  email: string,
): Promise<A[]> {
  const refusing = await accountsRefusingPassword(
    db,
    accounts.map((a) => a.accountId),
    email,
  )
  return accounts.filter((a) => !refusing.has(a.accountId))
}

/** Throws `This account requires single sign-on.` when the password path is closed here. */
export async function assertPasswordAllowed(
  db: Kysely<Database>,
  accountId: number,
  email: string,
): Promise<void> {
  if ((await accountsRefusingPassword(db, [accountId], email)).has(accountId))
    throw ssoSignInError('SSO_REQUIRED')
}
