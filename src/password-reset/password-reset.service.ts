/**
 * Password reset by email, and changing one's password. A link is 256 random bits of which only
 * the SHA-256 is stored; it works once, until PASSWORD_RESET_TTL, and a newer link replaces it.
 * The email is a row of the one mail outbox, written in the transaction that issues the link.
 * Asking never says whether an email is registered: the same answer, after the same floor of time.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import { audit } from '../audit/audit.service.ts'
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from '../auth/password.ts'
import type { Database } from '../db/schema.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { insertMail, supersedePendingMailOfKind } from '../mail/mail.repository.ts'
import { PASSWORD_RESET_KIND } from '../mail/password-reset-message.ts'
import { AppError } from '../shared/app-error.ts'
import type { RequestContext, RequestMeta } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { sessionError } from '../sessions/session.errors.ts'
import { endSignInsOfUser } from '../sessions/end-sign-ins.ts'
import { lastUsedAccount } from '../sessions/session.repository.ts'
import type { LoginResult, SessionService } from '../sessions/session.service.ts'
import { generateSessionToken, hashSessionToken, looksLikeSessionToken } from '../sessions/session.token.ts'
import { accountsTakingPassword } from '../sso/sso-policy.ts'
import { ssoSignInError } from '../sso/sso.errors.ts'
import { accountsOfUser } from '../team/membership.repository.ts'
import { findUserByEmail, findUserById, updatePasswordHash } from '../users/user.repository.ts'
import { passwordResetError } from './password-reset.errors.ts'
import { consumeReset, replaceReset } from './password-reset.repository.ts'

/** One link per email per minute: more requests answer alike and send nothing. */
const MIN_INTERVAL_MS = 60_000
/** Every request takes at least this long, whether or not the email is known (no timing oracle). */
const RESPONSE_FLOOR_MS = 150

export interface ResetTarget {
  id: number
  email: string
  name: string
}

/**
 * Issues a reset link for a user inside the caller's transaction: replaces their older link and
 * its undelivered email, and queues the new email. Returns the link. Self-service reset and an
 * ADMIN's reset of a member (Akto's /api/resetUserPassword) both come through here. Undefined
 * (nothing written) only with `unlessIssuedAfter`, when a link was issued since then.
 */
export async function issueResetLink(
  deps: Deps,
  trx: Kysely<Database>,
  user: ResetTarget,
  accountId: number,
  now: number,
  /** An allowed origin for the link (shared/link-origin.ts); PUBLIC_URL by default. */
  origin = deps.config.publicUrl,
  unlessIssuedAfter?: number,
): Promise<string | undefined> {
  const { token, hash } = generateSessionToken()
  const expiresAt = now + deps.config.passwordResetTtlSeconds * 1000
  if (!(await replaceReset(trx, { userId: user.id, tokenHash: hash, now, expiresAt, unlessIssuedAfter })))
    return undefined
  const link = `${origin}/resetPassword?token=${token}`
  await supersedePendingMailOfKind(trx, accountId, user.email, PASSWORD_RESET_KIND)
  await insertMail(trx, {
    accountId,
    tokenId: null,
    recipient: user.email,
    content: { kind: PASSWORD_RESET_KIND, input: { name: user.name, link, expiresAt } },
    now,
  })
  return link
}

export function passwordResetService(deps: Deps, sessions: SessionService, mailQueued: () => void) {
  const { db } = deps.database

  async function requestFor(email: string | undefined, meta: RequestMeta): Promise<boolean> {
    // The token is drawn and hashed whether or not the email is known: the same work either way.
    generateSessionToken()
    const user = email ? await findUserByEmail(db, email) : undefined
    if (!user) return false
    const now = deps.clock()
    // Accounts that require single sign-on take no password: their members get no link.
    const accounts = await accountsTakingPassword(db, await accountsOfUser(db, user.id), user.email)
    const preferred = await lastUsedAccount(db, user.id)
    const account = accounts.find((a) => a.accountId === preferred) ?? accounts[0]
    if (!account) return false
    return db.transaction().execute(async (trx) => {
      // One link a minute: a link issued within the minute stays, and this request sends nothing.
      const link = await issueResetLink(
        deps,
        trx,
        user,
        account.accountId,
        now,
        deps.config.publicUrl,
        now - MIN_INTERVAL_MS,
      )
      if (link === undefined) return false
      await audit(trx, meta, {
        accountId: account.accountId,
        action: 'password.reset_request',
        target: user.email,
        userId: user.id,
        now,
      })
      return true
    })
  }

  return {
    /** Always `{}`; for a known user, emails a link. */
    async request(input: { email?: unknown }, meta: RequestMeta): Promise<Record<string, never>> {
      const started = performance.now()
      const sent = await requestFor(normalizeEmail(input.email), meta)
      if (sent) mailQueued()
      const left = RESPONSE_FLOOR_MS - (performance.now() - started)
      if (left > 0) await sleep(left)
      return {}
    },

    /** Sets a new password with a link: ends every session of the user, then signs them in afresh. */
    async reset(input: { token?: unknown; password?: unknown }, meta: RequestMeta): Promise<LoginResult> {
      const problem = passwordProblem(input.password)
      if (problem) throw new AppError('WEAK_PASSWORD', problem)
      const token =
        typeof input.token === 'string' && looksLikeSessionToken(input.token) ? input.token : undefined
      if (!token) throw passwordResetError('INVALID_RESET_LINK')
      const passwordHash = await hashPassword(input.password as string)
      const now = deps.clock()
      const userId = await db.transaction().execute(async (trx) => {
        const used = await consumeReset(trx, hashSessionToken(token), now)
        if (!used) throw passwordResetError('INVALID_RESET_LINK')
        const user = await findUserById(trx, used.user_id)
        const memberships = await accountsOfUser(trx, used.user_id)
        // A link issued before its user left (or was suspended in) every account: it is used up
        // and sets nothing, so a password never waits for the day they are let back in.
        if (!user || memberships.length === 0) return undefined
        // A link issued before the account required single sign-on: refused, and nothing changes
        // (the password, the sessions and the link stay as they were).
        if ((await accountsTakingPassword(trx, memberships, user.email)).length === 0)
          throw ssoSignInError('SSO_REQUIRED')
        await updatePasswordHash(trx, used.user_id, passwordHash)
        // A sign-in half done with the old password (waiting for its code) ends with the sessions.
        const ended = await endSignInsOfUser(trx, used.user_id)
        for (const a of memberships)
          await audit(trx, meta, {
            accountId: a.accountId,
            action: 'password.reset',
            userId: used.user_id,
            details: { sessionsEnded: ended },
            now,
          })
        return used.user_id
      })
      const user = userId === undefined ? undefined : await findUserById(db, userId)
      if (!user) throw passwordResetError('INVALID_RESET_LINK')
      // A second factor, when the user has one, is still asked for: a mailbox alone is not enough.
      return sessions.afterPassword(user, meta)
    },

    /** Changes the signed-in user's password; their other sessions end. */
    async change(ctx: RequestContext, input: { currentPassword?: unknown; newPassword?: unknown }) {
      const { actor } = ctx
      if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
      const user = await findUserById(db, actor.userId)
      const current = typeof input.currentPassword === 'string' ? input.currentPassword : ''
      const verified = user?.password_hash
        ? await verifyPassword(user.password_hash, current)
        : await verifyAgainstNothing(current)
      if (!verified) throw passwordResetError('CURRENT_PASSWORD_WRONG')
      const problem = passwordProblem(input.newPassword)
      if (problem) throw new AppError('WEAK_PASSWORD', problem)
      const passwordHash = await hashPassword(input.newPassword as string)
      const now = deps.clock()
      return db.transaction().execute(async (trx) => {
        await updatePasswordHash(trx, actor.userId, passwordHash)
        const ended = await endSignInsOfUser(trx, actor.userId, actor.sessionId ?? undefined)
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'password.change',
          details: { sessionsEnded: ended },
          now,
        })
        return { sessionsEnded: ended }
      })
    },
  }
}

export type PasswordResetService = ReturnType<typeof passwordResetService>
