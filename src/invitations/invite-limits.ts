/**
 * Invitation flood limits per account, per credential (API key, or the user for sessions) and per
 * invitee address (re-invite bombing). Each is a token bucket kept as GCRA: LIMIT invitations
 * at once, refilled evenly over the window (one every WINDOW/LIMIT). Checked and stored inside the
 * invitation's own transaction, under the account lock, so they are exact, durable and shared by
 * every instance; nothing is created past a limit. Constant cost per invitation.
 */
import type { Kysely } from 'kysely'
import type { Config } from '../config.ts'
import type { Database } from '../db/schema.ts'
import type { Actor } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'
import { dropFullBuckets, findBuckets, saveBuckets, type Three } from './invite-bucket.repository.ts'

export async function assertWithinInviteLimits(
  db: Kysely<Database>,
  config: Config,
  actor: Actor,
  email: string,
  now: number,
) {
  const { perAccount, perKey, perEmail, windowSeconds } = config.inviteLimits
  const windowMs = windowSeconds * 1000
  const credential = actor.apiKeyId !== null ? `key:${actor.apiKeyId}` : `user:${actor.userId}`
  const scopes: Three<string> = ['account', credential, `email:${email}`]
  const limits: Three<number> = [perAccount, perKey, perEmail]
  const stored = await findBuckets(db, actor.accountId, scopes)
  // GCRA: each invitation moves the bucket's arrival time on by WINDOW/LIMIT; a bucket is over its
  // limit when that time would run more than a window ahead of now.
  const arrival = (i: 0 | 1 | 2) => Math.max(stored.get(scopes[i]) ?? now, now) + windowMs / limits[i]
  const next: Three<number> = [arrival(0), arrival(1), arrival(2)]
  const waitMs = Math.max(...next.map((tat) => tat - now - windowMs))
  if (waitMs > 0)
    throw new AppError(
      'RATE_LIMITED',
      'Too many invitations; try again later.',
      Math.max(1, Math.ceil(waitMs / 1000)),
    )
  // Stored in whole milliseconds (a bigint column), rounded up so that no one gains a moment.
  const stamp = (i: 0 | 1 | 2) => [scopes[i], Math.ceil(next[i])] as const
  await saveBuckets(db, actor.accountId, [stamp(0), stamp(1), stamp(2)])
  await dropFullBuckets(db, actor.accountId, now)
}
