/**
 * A user's credentials changed (a new password, two-factor turned off by the operator): every
 * session of theirs but `keep`, every sign-in still waiting for its second factor, and what
 * applications were issued in their name through Sign in with Roster (grants, refresh tokens)
 * end in the caller's transaction: whoever held the old credentials keeps nothing they gave.
 * Returns how many sessions ended.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { deleteMfaChallengesOfUser } from '../mfa/mfa.repository.ts'
import { deleteForUser } from '../oidc/oidc-payload.repository.ts'
import { deleteSessionsOfUser } from './session.repository.ts'

export async function endSignInsOfUser(db: Kysely<Database>, userId: number, keep?: number): Promise<number> {
  await deleteMfaChallengesOfUser(db, userId)
  await deleteForUser(db, userId)
  return deleteSessionsOfUser(db, userId, keep)
}
