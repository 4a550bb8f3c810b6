/**
 * Invitation flood limits, counted from the audit log inside the invitation's own transaction
 * (the account row is locked), so they are exact, durable and shared by every instance: nothing
 * is created past a limit. Per account, per credential (API key, or the user for sessions), and
 * per invitee email (re-invite bombing of one address).
 */
import type { Kysely } from 'kysely'
import { countRecentEvents } from '../audit/audit.repository.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/schema.ts'
import type { Actor } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'

const INVITE_ACTIONS = ['invitation.create', 'invitation.replace'] as const

export async function assertWithinInviteLimits(db: Kysely<Database>, config: Config, actor: Actor, email: string, now: number) {
  const { perAccount, perKey, perEmail, windowSeconds } = config.inviteLimits
  const windowMs = windowSeconds * 1000
  const since = now - windowMs
  const base = { accountId: actor.accountId, actions: INVITE_ACTIONS, since }
  const byCredential = actor.apiKeyId !== null ? { apiKeyId: actor.apiKeyId } : { actorUserId: actor.userId }
  const checks: [Parameters<typeof countRecentEvents>[1], number][] = [
    [base, perAccount],
    [{ ...base, ...byCredential }, perKey],
    [{ ...base, target: email }, perEmail],
  ]
  for (const [filter, limit] of checks) {
    const { count, oldest } = await countRecentEvents(db, filter)
    if (count >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((oldest ?? now) + windowMs - now) / 1000))
      throw new AppError('RATE_LIMITED', 'Too many invitations; try again later.', retryAfter)
    }
  }
}
