/**
 * The `required` rule: for an account that requires single sign-on, a password (sign-in,
 * accepting an invitation, a password session creating API keys) does not let its members in,
 * except the break-glass ADMIN the configuration names. One place, asked by every password door.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { ssoSignInError } from './sso.errors.ts'
import { requiredSsoConfigs } from './sso.repository.ts'

/** The accounts among these where this email's password is refused. */
export async function accountsRefusingPassword(
  db: Kysely<Database>,
  accountIds: readonly number[],
  email: string,
): Promise<Set<number>> {
  const rows = await requiredSsoConfigs(db, accountIds)
  return new Set(rows.filter((r) => r.break_glass_email !== email).map((r) => r.account_id))
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
