/**
 * Two-factor authentication with TOTP (RFC 6238): enrolment from the Security page, the step
 * between a correct password and a session (the mfaToken), recovery codes, and the account
 * policy that requires a second factor of every member.
 */
import { audit, auditInEachAccountOf } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import type { Actor, RequestContext, RequestMeta } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { markSessionMfa } from '../sessions/session.repository.ts'
import type { SessionService } from '../sessions/session.service.ts'
import { sessionError } from '../sessions/session.errors.ts'
import { hashSessionToken, looksLikeSessionToken } from '../sessions/session.token.ts'
import { accountError } from '../accounts/account.errors.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { endSignInsOfUser } from '../sessions/end-sign-ins.ts'
import { findUserByEmail, findUserById } from '../users/user.repository.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { MFA_CHALLENGE_MAX_ATTEMPTS } from './mfa-policy.ts'
import { mfaError } from './mfa.errors.ts'
import { hasPasskey } from '../passkeys/passkey.repository.ts'
import {
  anyAccountRequiresMfa,
  countRecoveryCodesLeft,
  deleteMfaChallenge,
  deleteTotp,
  findRequireMfa,
  findTotp,
  replaceRecoveryCodes,
  savePendingTotp,
  setRequireMfa,
  tryMfaChallenge,
  useRecoveryCode,
  useTotpStep,
} from './mfa.repository.ts'
import {
  hashRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUrl,
  qrCodeDataUrl,
} from './totp.ts'

export interface SecondFactorInput {
  code?: unknown
  recoveryCode?: unknown
}

export function mfaService(deps: Deps, sessions: SessionService) {
  const { db } = deps.database

  function sessionOnly(actor: Actor) {
    if (actor.sessionId === null) throw sessionError('SESSION_ONLY')
    return actor.sessionId
  }

  /**
   * Checks a TOTP code (its step recorded, so it is never accepted again) or spends a recovery
   * code. Both are guarded updates: two requests with one code cannot both succeed.
   */
  async function proveSecondFactor(
    trx: Kysely<Database>,
    userId: number,
    input: SecondFactorInput,
    now: number,
  ) {
    if (typeof input.recoveryCode === 'string' && input.recoveryCode !== '') {
      return (await useRecoveryCode(trx, userId, hashRecoveryCode(input.recoveryCode), now))
        ? 'recovery'
        : undefined
    }
    const factor = await findTotp(trx, userId)
    if (!factor || factor.confirmed_at === null) return undefined
    const step = matchingStep(factor.secret, input.code, now)
    if (step === undefined) return undefined
    return (await useTotpStep(trx, userId, step)) ? 'totp' : undefined
  }

  return {
    proveSecondFactor,

    async status(actor: Actor) {
      const [factor, recoveryCodesLeft, requireMfa] = await Promise.all([
        findTotp(db, actor.userId),
        countRecoveryCodesLeft(db, actor.userId),
        findRequireMfa(db, actor.accountId),
      ])
      return {
        totpEnabled: factor?.confirmed_at != null,
        recoveryCodesLeft,
        requireMfa,
        mfaEnrolmentRequired: actor.mfaEnrolmentPending === true,
      }
    },

    /** A new secret to scan; replaces an unfinished enrolment, never a finished one. */
    async startTotp(actor: Actor) {
      sessionOnly(actor)
      const secret = newTotpSecret()
      if (!(await savePendingTotp(db, actor.userId, secret, deps.clock())))
        throw mfaError('TOTP_ALREADY_ENABLED')
      const url = otpauthUrl(secret, actor.email)
      return { secret, otpauthUrl: url, qrCode: await qrCodeDataUrl(url) }
    },

    /** The first code proves the app holds the secret: two-factor is on, and this session has proved it. */
    async confirmTotp(ctx: RequestContext, code: unknown) {
      const sessionId = sessionOnly(ctx.actor)
      const now = deps.clock()
      const codes = newRecoveryCodes()
      await db.transaction().execute(async (trx) => {
        const factor = await findTotp(trx, ctx.actor.userId)
        if (!factor) throw mfaError('TOTP_NOT_STARTED')
        if (factor.confirmed_at !== null) throw mfaError('TOTP_ALREADY_ENABLED')
        const step = matchingStep(factor.secret, code, now)
        if (step === undefined || !(await useTotpStep(trx, ctx.actor.userId, step, now)))
          throw mfaError('INVALID_MFA_CODE')
        await replaceRecoveryCodes(trx, ctx.actor.userId, codes.map(hashRecoveryCode))
        await markSessionMfa(trx, sessionId, now)
        await audit(trx, ctx, {
          accountId: ctx.actor.accountId,
          action: 'mfa.enable',
          target: ctx.actor.email,
          now,
        })
      })
      return { recoveryCodes: codes }
    },

    /**
     * Turning two-factor off takes a current code or a recovery code. Where one of the user's
     * accounts requires a second factor, only a user who keeps one (a passkey) may: otherwise the
     * session would go on without one. Refused before the code is spent.
     */
    async disableTotp(ctx: RequestContext, input: SecondFactorInput) {
      sessionOnly(ctx.actor)
      const now = deps.clock()
      await db.transaction().execute(async (trx) => {
        const factor = await findTotp(trx, ctx.actor.userId)
        if (!factor || factor.confirmed_at === null) throw mfaError('TOTP_NOT_ENABLED')
        if (
          (await anyAccountRequiresMfa(trx, ctx.actor.userId)) &&
          !(await hasPasskey(trx, ctx.actor.userId))
        )
          throw mfaError('MFA_REQUIRED_BY_ACCOUNT')
        if (!(await proveSecondFactor(trx, ctx.actor.userId, input, now))) throw mfaError('INVALID_MFA_CODE')
        await deleteTotp(trx, ctx.actor.userId)
        await audit(trx, ctx, {
          accountId: ctx.actor.accountId,
          action: 'mfa.disable',
          target: ctx.actor.email,
          now,
        })
      })
    },

    /** Completes a sign-in: the mfaToken from /api/login plus a code or a recovery code. */
    async verify(input: SecondFactorInput & { mfaToken?: unknown }, meta: RequestMeta) {
      const token =
        typeof input.mfaToken === 'string' && looksLikeSessionToken(input.mfaToken)
          ? input.mfaToken
          : undefined
      const now = deps.clock()
      // The try is counted (and committed) before the code is looked at.
      const challenge = token
        ? await tryMfaChallenge(db, hashSessionToken(token), now, MFA_CHALLENGE_MAX_ATTEMPTS)
        : undefined
      if (!challenge) throw mfaError('MFA_TOKEN_INVALID')
      const user = await findUserById(db, challenge.user_id)
      if (!user) throw mfaError('MFA_TOKEN_INVALID')
      const proved = await db.transaction().execute(async (trx) => {
        const how = await proveSecondFactor(trx, user.id, input, now)
        if (how) await deleteMfaChallenge(trx, challenge.id)
        // A recovery code stands in for a lost or absent phone: worth an entry of its own, in
        // every account the user belongs to (like a password reset), with how many are left.
        if (how === 'recovery') {
          const recoveryCodesLeft = await countRecoveryCodesLeft(trx, user.id)
          await auditInEachAccountOf(trx, meta, user.id, {
            action: 'mfa.recovery_code_used',
            target: user.email,
            userId: user.id,
            details: { recoveryCodesLeft },
            now,
          })
        }
        return how
      })
      if (!proved) throw mfaError('INVALID_MFA_CODE')
      return sessions.establish(user, meta, true)
    },

    /** ADMIN: require a second factor of every member of the account (or stop requiring it). */
    async setAccountPolicy(ctx: RequestContext, requireMfa: boolean) {
      await inAccountTransaction(deps, ctx.actor.accountId, async (trx) => {
        await setRequireMfa(trx, ctx.actor.accountId, requireMfa)
        await audit(trx, ctx, {
          accountId: ctx.actor.accountId,
          action: 'account.policy',
          details: { requireMfa },
          now: deps.clock(),
        })
      })
      return { requireMfa }
    },

    /**
     * Operator only (`roster user reset-two-factor`): turns two-factor off for someone who lost
     * both their authenticator and their recovery codes, who could otherwise never sign in again
     * with a password. Their sessions and pending sign-ins end; passkeys stay; each of their
     * accounts' audit logs records it. Where the account requires two-factor they enrol afresh
     * at their next sign-in.
     */
    async operatorReset(emailInput: string) {
      const email = normalizeEmail(emailInput)
      const user = email ? await findUserByEmail(db, email) : undefined
      if (!user) throw accountError('USER_NOT_FOUND')
      const now = deps.clock()
      return db.transaction().execute(async (trx) => {
        const factor = await findTotp(trx, user.id)
        if (!factor || factor.confirmed_at === null) throw mfaError('TOTP_NOT_ENABLED')
        await deleteTotp(trx, user.id)
        const sessionsEnded = await endSignInsOfUser(trx, user.id)
        await auditInEachAccountOf(trx, null, user.id, {
          action: 'mfa.disable',
          target: user.email,
          details: { byOperator: true, sessionsEnded },
          now,
        })
        return { userId: user.id, sessionsEnded }
      })
    },
  }
}

export type MfaService = ReturnType<typeof mfaService>
