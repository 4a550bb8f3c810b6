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
import { normalizeEmail } from '../invitations/email-rule.ts'
import { allowedActions, type Action } from '../roles/permissions.ts'
import { hierarchyOf, parseBaseRole, type BaseRole } from '../roles/role.ts'
import type { Actor, RequestContext, RequestMeta } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { accountsOfUser, findMemberById } from '../team/membership.repository.ts'
import { findUserByEmail, findUserById } from '../users/user.repository.ts'
import { sessionError } from './session.errors.ts'
import {
  deleteExpiredSessions,
  deleteSessionByHash,
  findLiveSession,
  insertSession,
  lastUsedAccount,
  switchSessionAccount,
  touchSession,
} from './session.repository.ts'
import { generateSessionToken, hashSessionToken, looksLikeSessionToken, sameHash } from './session.token.ts'

/** last_seen_at is refreshed at most this often, so authenticating costs no write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000

export interface LoginView {
  userId: number
  email: string
  name: string
  accountId: number
  role: string
}

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

  /** Opens a session inside the caller's transaction; returns the token for the cookie. */
  async function open(
    trx: Kysely<Database>,
    userId: number,
    accountId: number,
    now: number,
  ): Promise<string> {
    const { token, hash } = generateSessionToken()
    await insertSession(trx, { tokenHash: hash, userId, accountId, now, expiresAt: now + maxMs })
    return token
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
    cookieMaxAgeSeconds: deps.config.sessionMaxSeconds,

    /** The actor a session token stands for; undefined when it is unknown, expired or its membership is gone. */
    async authenticate(token: string): Promise<Actor | undefined> {
      if (!looksLikeSessionToken(token)) return undefined
      const hash = hashSessionToken(token)
      const now = deps.clock()
      const row = await findLiveSession(db, hash, now, now - idleMs)
      const baseRole = parseBaseRole(row?.baseRole)
      if (!row || !baseRole || !sameHash(row.tokenHash, hash)) return undefined
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
      }
    },

    async login(
      input: { email?: unknown; password?: unknown },
      meta: RequestMeta,
    ): Promise<{ token: string; view: LoginView }> {
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
      const preferred = await lastUsedAccount(db, user.id)
      const account = accounts.find((a) => a.accountId === preferred) ?? accounts[0]!
      const token = await db.transaction().execute(async (trx) => {
        await deleteExpiredSessions(trx, now, now - idleMs)
        const opened = await open(trx, user.id, account.accountId, now)
        await audit(trx, meta, {
          accountId: account.accountId,
          action: 'session.login',
          target: user.email,
          userId: user.id,
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

    async switchAccount(ctx: RequestContext, accountIdInput: unknown): Promise<AccountsView> {
      const { actor } = ctx
      if (actor.sessionId === null) throw sessionError('SESSION_REQUIRED')
      const accountId =
        typeof accountIdInput === 'number'
          ? accountIdInput
          : typeof accountIdInput === 'string' && /^\d{1,9}$/.test(accountIdInput)
            ? Number(accountIdInput)
            : NaN
      if (!Number.isSafeInteger(accountId)) throw sessionError('ACCOUNT_NOT_AVAILABLE')
      await db.transaction().execute(async (trx) => {
        // Not a member, a suspended member and no such account answer alike.
        if ((await findMemberById(trx, accountId, actor.userId))?.suspendedAt !== null)
          throw sessionError('ACCOUNT_NOT_AVAILABLE')
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
