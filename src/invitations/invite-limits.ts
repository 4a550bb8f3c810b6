/**
 * Invitation flood limits per account, per credential (API key, or the user for sessions) and per
 * invitee address (re-invite bombing). Each is a token bucket kept as GCRA: LIMIT invitations
 * at once, refilled evenly over the window (one every WINDOW/LIMIT). Checked and stored inside the
 * invitation's own transaction, under the account lock, so they are exact, durable and shared by
 * every instance; nothing is created past a limit. Constant cost per invitation.
 */
import type { CompiledQuery, Kysely } from 'kysely'
import type { Config } from '../config.ts'
import type { Database } from '../db/schema.ts'
import type { Actor } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'
import { dropFullBucketsStatement, saveBucketsStatement, type Three } from './invite-bucket.repository.ts'

/** The buckets an invitation counts against: the account's, the credential's, the address's. */
export function inviteBucketScopes(actor: Actor, email: string): Three<string> {
  const credential = actor.apiKeyId !== null ? `key:${actor.apiKeyId}` : `user:${actor.userId}`
  return ['account', credential, `email:${email}`]
}

/**
 * Checks one more invitation against the buckets' stored arrival times (read under the account's
 * lock; absent: full) and returns the new ones, with the statements that store them for the
 * invitation's transaction to send with its other writes. Throws RATE_LIMITED, with the wait,
 * past a limit.
 */
export function takeInviteTokens(
  db: Kysely<Database>,
  config: Config,
  accountId: number,
  scopes: Three<string>,
  stored: Three<number | undefined>,
  now: number,
): { tats: Three<number>; writes: CompiledQuery[] } {
  const { perAccount, perKey, perEmail, windowSeconds } = config.inviteLimits
  const windowMs = windowSeconds * 1000
  const limits: Three<number> = [perAccount, perKey, perEmail]
  // GCRA: each invitation moves the bucket's arrival time on by WINDOW/LIMIT; a bucket is over its
  // limit when that time would run more than a window ahead of now.
  const arrival = (i: 0 | 1 | 2) => Math.max(stored[i] ?? now, now) + windowMs / limits[i]
  const next: Three<number> = [arrival(0), arrival(1), arrival(2)]
  const waitMs = Math.max(...next.map((tat) => tat - now - windowMs))
  if (waitMs > 0)
    throw new AppError(
      'RATE_LIMITED',
      'Too many invitations; try again later.',
      Math.max(1, Math.ceil(waitMs / 1000)),
    )
  // Stored in whole milliseconds (a bigint column), rounded up so that no one gains a moment.
  const tats: Three<number> = [Math.ceil(next[0]), Math.ceil(next[1]), Math.ceil(next[2])]
  const stamp = (i: 0 | 1 | 2) => [scopes[i], tats[i]] as const
  return {
    tats,
    writes: [
      saveBucketsStatement(db, accountId, [stamp(0), stamp(1), stamp(2)]),
      dropFullBucketsStatement(db, accountId, now, scopes),
    ],
  }
}
