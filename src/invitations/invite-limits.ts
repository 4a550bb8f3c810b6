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
import { dropFullBuckets, findBuckets, saveBuckets } from './invite-bucket.repository.ts'

export async function assertWithinInviteLimits(db: Kysely<Database>, config: Config, actor: Actor, email: string, now: number) {
  const { perAccount, perKey, perEmail, windowSeconds } = config.inviteLimits
  const windowMs = windowSeconds * 1000
  const credential = actor.apiKeyId !== null ? `key:${actor.apiKeyId}` : `user:${actor.userId}`
  const limits: [string, number][] = [
    ['account', perAccount],
    [credential, perKey],
    [`email:${email}`, perEmail],
  ]
  const stored = await findBuckets(db, actor.accountId, [limits[0]![0], limits[1]![0], limits[2]![0]])
  let waitMs = 0
  const next = limits.map(([scope, limit]) => {
    const interval = windowMs / limit
    const tat = Math.max(stored.get(scope) ?? now, now) + interval
    // Over the limit when the bucket would hold more than a window's worth of invitations.
    waitMs = Math.max(waitMs, tat - now - windowMs)
    return [scope, Math.ceil(tat)] as const
  })
  if (waitMs > 0) throw new AppError('RATE_LIMITED', 'Too many invitations; try again later.', Math.max(1, Math.ceil(waitMs / 1000)))
  await saveBuckets(db, actor.accountId, next)
  await dropFullBuckets(db, actor.accountId, now)
}
