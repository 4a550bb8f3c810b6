/**
 * Browser sessions: signing in and out, the actor a session cookie stands for, and the accounts a
 * signed-in user can switch between. A session acts exactly as an API key of its user would, in
 * the session's current account.
 */
import type { Kysely } from 'kysely'
import { findAccount } from '../accounts/account.repository.ts'
import { audit } from '../audit/audit.service.ts'
import { verifyAgainstNothing, verifyPassword } from '../auth/password.ts'
import type { Database } from '../db/schema.ts'
import { MFA_CHALLENGE_TTL_MS } from '../mfa/mfa-policy.ts'
import { hasConfirmedTotp, insertMfaChallenge } from '../mfa/mfa.repository.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { allowedActions, type Action } from '../roles/permissions.ts'
import { hierarchyOf, parseBaseRole, type BaseRole } from '../roles/role.ts'
import type { Actor, RequestContext, RequestMeta } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { accountsOfUser, findMemberById } from '../team/membership.repository.ts'
import { findUserByEmail, findUserById } from '../users/user.repository.ts'
import { accountsTakingPassword, assertPasswordAllowed } from '../sso/sso-policy.ts'
import { ssoSignInError } from '../sso/sso.errors.ts'
import { sessionError } from './session.errors.ts'
import { ownSessions } from './own-sessions.service.ts'
import {
  deleteExpiredSessions,
  deleteSessionByHash,
  findLiveSession,
  insertSession,
  lastUsedAccount,
  deleteSessionOfUser,
  sessionMethod,
  sessionMfaIn,
  switchSessionAccount,
  touchSession,
} from './session.repository.ts'
import { generateSessionToken, hashSessionToken, looksLikeSessionToken, sameHash } from './session.token.ts'
import { isRowId } from '../shared/row-id.ts'

/** The two-factor gate: an account that requires a second factor, a session that has not proved one. */
function enrolmentPending(row: { requireMfa: number | string; mfaAt: number | string | null }): boolean {
  return Number(row.requireMfa) === 1 && row.mfaAt === null
}

/** last_seen_at is refreshed at most this often, so authenticating costs no write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000

export interface LoginView {
  userId: number
  email: string
  name: string
  accountId: number
  role: string
}

/** A correct password for a user with two-factor on: no session yet, only the next step's token. */
export interface MfaStep {
  mfaRequired: true
  mfaToken: string
}

export type LoginResult = { token: string; view: LoginView } | { mfa: MfaStep }

export interface AccountsView {
  accounts: { accountId: number; name: string; role: string }[]
  currentAccountId: number
}

export interface MeView {
  userId: number
  email: string
  name: string
  accountId: number
  accountName: string
  role: string
  baseRole: BaseRole
  roleHierarchy: BaseRole[]
  /** The actions this role may take, so a page offers only those. */
  permissions: Action[]
}

export function sessionService(deps: Deps) {
  const { db } = deps.database
  const idleMs = deps.config.sessionIdleSeconds * 1000
  const maxMs = deps.config.sessionMaxSeconds * 1000

  /**
   * Whether a session may act in another of its user's accounts. One opened by an account's
   * identity provider vouches for that account only: accounts may share an email domain, and
   * each configures its own IdP, so another account's IdP asserting this email proves nothing
   * here. One opened with a password may enter any account that does not require single
   * sign-on (its break-glass ADMIN excepted).
   */
  async function assertMayEnter(trx: Kysely<Database>, actor: Actor, accountId: number) {
    if (accountId === actor.accountId || actor.sessionId === null) return
    if ((await sessionMethod(trx, actor.sessionId)) === 'sso') throw ssoSignInError('SSO_OTHER_ACCOUNT')
    await assertPasswordAllowed(trx, accountId, actor.email)
  }

  /**
   * Opens a session inside the caller's transaction; returns the token for the cookie. `mfa`: the
   * sign-in proved a second factor (TOTP, recovery code, passkey). `method`: `sso` when the
   * identity provider vouched for the user, else `password` (Roster's own credentials).
   */
  async function open(
    trx: Kysely<Database>,
    userId: number,
    accountId: number,
    now: number,
    opened: { meta?: RequestMeta; mfa?: boolean; method?: 'password' | 'sso' } = {},
  ): Promise<string> {
    const { token, hash } = generateSessionToken()
    await insertSession(trx, {
      tokenHash: hash,
      userId,
      accountId,
      now,
      expiresAt: now + maxMs,
      ip: opened.meta?.ip ?? null,
      userAgent: opened.meta?.userAgent ?? null,
      mfaAt: opened.mfa ? now : null,
      method: opened.method ?? 'password',
    })
    return token
  }

  /**
   * Signs in a user whose credentials were just verified (password, password reset, second
   * factor, passkey): a new session in their most recently used account.
   */
  async function establish(
    user: { id: number; email: string; name: string },
    meta: RequestMeta,
    mfa: boolean,
  ): Promise<{ token: string; view: LoginView }> {
    const memberships = await accountsOfUser(db, user.id)
    if (memberships.length === 0) throw sessionError('INVALID_CREDENTIALS')
    const now = deps.clock()
    const accounts = await takingPasswordOrRefused(user, memberships, meta, now)
    const preferred = await lastUsedAccount(db, user.id)
    const account = accounts.find((a) => a.accountId === preferred) ?? accounts[0]!
    const token = await db.transaction().execute(async (trx) => {
      await deleteExpiredSessions(trx, now, now - idleMs)
      const opened = await open(trx, user.id, account.accountId, now, { meta, mfa })
      await audit(trx, meta, {
        accountId: account.accountId,
        action: 'session.login',
        target: user.email,
        userId: user.id,
        details: mfa ? { secondFactor: true } : undefined,
        now,
      })
      return opened
    })
    return {
      token,
      view: {
        userId: user.id,
        email: user.email,
        name: user.name,
        accountId: account.accountId,
        role: account.role,
      },
    }
  }

  /**
   * The accounts that take Roster's own credentials (password, and the second factor, reset or
   * passkey that go with it): those requiring single sign-on refuse them, break-glass ADMIN
   * excepted. None left: audited and refused with SSO_REQUIRED.
   */
  async function takingPasswordOrRefused<A extends { accountId: number }>(
    user: { id: number; email: string },
    accounts: A[],
    meta: RequestMeta,
    now: number,
  ): Promise<A[]> {
    const allowed = await accountsTakingPassword(db, accounts, user.email)
    if (allowed.length > 0) return allowed
    await db.transaction().execute(async (trx) => {
      for (const a of accounts)
        await audit(trx, meta, {
          accountId: a.accountId,
          action: 'session.login_failed',
          target: user.email,
          details: { reason: 'SSO_REQUIRED' },
          userId: user.id,
          now,
        })
    })
    throw ssoSignInError('SSO_REQUIRED')
  }

  /** After a correct password: the second-factor step when the user has one, else a session. */
  async function afterPassword(
    user: { id: number; email: string; name: string },
    meta: RequestMeta,
  ): Promise<LoginResult> {
    if (!(await hasConfirmedTotp(db, user.id))) return establish(user, meta, false)
    const { token, hash } = generateSessionToken()
    const now = deps.clock()
    await insertMfaChallenge(db, {
      tokenHash: hash,
      userId: user.id,
      expiresAt: now + MFA_CHALLENGE_TTL_MS,
      now,
    })
    return { mfa: { mfaRequired: true, mfaToken: token } }
  }

  /**
   * Whether a session waiting for enrolment was signed in with a password by a member who has
   * confirmed an authenticator app since (elsewhere). A single sign-on session is left waiting:
   * signing in again through the identity provider would not ask the code either.
   */
  async function enrolledSince(row: { id: number; userId: number }): Promise<boolean> {
    return (await sessionMethod(db, row.id)) === 'password' && (await hasConfirmedTotp(db, row.userId))
  }

  async function accountsView(actor: Actor, currentAccountId = actor.accountId): Promise<AccountsView> {
    const rows = await accountsOfUser(db, actor.userId)
    // An API key belongs to one account: it does not reveal the user's others.
    const visible = actor.sessionId === null ? rows.filter((r) => r.accountId === actor.accountId) : rows
    return {
      accounts: visible.map((r) => ({ accountId: r.accountId, name: r.name, role: r.role })),
      currentAccountId,
    }
  }

  return {
    open,
    establish,
    afterPassword,
    cookieMaxAgeSeconds: deps.config.sessionMaxSeconds,

    /** The actor a session token stands for; undefined when it is unknown, expired or its membership is gone. */
    async authenticate(token: string): Promise<Actor | undefined> {
      if (!looksLikeSessionToken(token)) return undefined
      const hash = hashSessionToken(token)
      const now = deps.clock()
      const row = await findLiveSession(db, hash, now, now - idleMs)
      const baseRole = parseBaseRole(row?.baseRole)
      if (!row || !baseRole || !sameHash(row.tokenHash, hash)) return undefined
      if (enrolmentPending(row) && (await enrolledSince(row))) {
        // Signed in with a password before the member turned two-factor on elsewhere: it can
        // neither enrol again nor prove the factor it never asked for. Ended, the next sign-in
        // asks for the code; left, it would stay on the enrolment page for good.
        await deleteSessionOfUser(db, row.userId, row.id)
        return undefined
      }
      const staleBefore = now - LAST_SEEN_RESOLUTION_MS
      if (row.lastSeenAt < staleBefore) {
        // Bookkeeping only: a failure here must not fail the request.
        await touchSession(db, row.id, now, staleBefore).catch((error: unknown) =>
          deps.log.warn({ err: error }, 'could not record session use'),
        )
      }
      return {
        userId: row.userId,
        accountId: row.accountId,
        email: row.email,
        roleName: row.role,
        baseRole,
        apiKeyId: null,
        sessionId: row.id,
        teamVersion: Number(row.teamVersion),
        mfaEnrolmentPending: enrolmentPending(row),
      }
    },

    /**
     * The same gate for a session about to act for `accountId` by another door (Sign in with
     * Roster to one of that account's applications): held while its own account or that one
     * waits for enrolment.
     */
    async enrolmentPendingIn(actor: Actor, accountId: number): Promise<boolean> {
      if (actor.mfaEnrolmentPending) return true
      if (actor.sessionId === null) return false
      const row = await sessionMfaIn(db, actor.sessionId, accountId)
      return row === undefined || enrolmentPending(row)
    },

    async login(input: { email?: unknown; password?: unknown }, meta: RequestMeta): Promise<LoginResult> {
      const email = normalizeEmail(input.email)
      const password = typeof input.password === 'string' ? input.password : ''
      const user = email ? await findUserByEmail(db, email) : undefined
      // Unknown emails cost a hash too, so timing does not tell whether an email is registered.
      const verified = user?.password_hash
        ? await verifyPassword(user.password_hash, password)
        : await verifyAgainstNothing(password)
      const accounts = user ? await accountsOfUser(db, user.id) : []
      const now = deps.clock()
      if (!user || !verified || accounts.length === 0) {
        if (user && accounts.length > 0) {
          await db.transaction().execute(async (trx) => {
            for (const a of accounts)
              await audit(trx, meta, {
                accountId: a.accountId,
                action: 'session.login_failed',
                target: user.email,
                userId: user.id,
                now,
              })
          })
        }
        throw sessionError('INVALID_CREDENTIALS')
      }
      // Accounts that require single sign-on take no password: refused before any second factor.
      await takingPasswordOrRefused(user, accounts, meta, now)
      return afterPassword(user, meta)
    },

    /** Ends the session of this token, if any. Signing out twice is not an error. */
    async logout(token: string | undefined, meta: RequestMeta): Promise<void> {
      if (token === undefined || !looksLikeSessionToken(token)) return
      await db.transaction().execute(async (trx) => {
        const ended = await deleteSessionByHash(trx, hashSessionToken(token))
        if (ended)
          await audit(trx, meta, {
            accountId: ended.account_id,
            action: 'session.logout',
            userId: ended.user_id,
            now: deps.clock(),
          })
      })
    },

    accounts: (actor: Actor) => accountsView(actor),

    ...ownSessions(deps),

    /**
     * Throws unless this session may act in `accountId` (a member's other account: switching,
     * or an application of that account asking "Sign in with Roster").
     */
    assertMayEnter: (actor: Actor, accountId: number) => assertMayEnter(db, actor, accountId),

    async switchAccount(ctx: RequestContext, accountIdInput: unknown): Promise<AccountsView> {
      const { actor } = ctx
      if (actor.sessionId === null) throw sessionError('SESSION_REQUIRED')
      const accountId =
        typeof accountIdInput === 'number'
          ? accountIdInput
          : typeof accountIdInput === 'string' && /^\d{1,9}$/.test(accountIdInput)
            ? Number(accountIdInput)
            : NaN
      if (!isRowId(accountId)) throw sessionError('ACCOUNT_NOT_AVAILABLE')
      await db.transaction().execute(async (trx) => {
        // Not a member, a suspended member and no such account answer alike.
        if ((await findMemberById(trx, accountId, actor.userId))?.suspendedAt !== null)
          throw sessionError('ACCOUNT_NOT_AVAILABLE')
        await assertMayEnter(trx, actor, accountId)
        await switchSessionAccount(trx, actor.sessionId!, accountId)
        await audit(trx, ctx, {
          accountId,
          action: 'session.switch_account',
          details: { from: actor.accountId },
          now: deps.clock(),
        })
      })
      return accountsView(actor, accountId)
    },

    async me(actor: Actor): Promise<MeView> {
      const [user, account] = await Promise.all([
        findUserById(db, actor.userId),
        findAccount(db, actor.accountId),
      ])
      return {
        userId: actor.userId,
        email: actor.email,
        name: user?.name ?? actor.email,
        accountId: actor.accountId,
        accountName: account?.name ?? '',
        role: actor.roleName,
        baseRole: actor.baseRole,
        roleHierarchy: hierarchyOf(actor.baseRole),
        permissions: allowedActions(actor.baseRole),
      }
    },
  }
}

export type SessionService = ReturnType<typeof sessionService>
