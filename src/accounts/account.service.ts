/**
 * Operator use cases, behind the CLI and first-run setup: creating an account with its
 * first ADMIN and key, adding a member directly, managing any member's keys.
 */
import { withoutControls } from '../shared/without-controls.ts'
import type { Kysely } from 'kysely'
import { createKey, keyName } from '../api-keys/api-key.service.ts'
import { hashPassword, passwordProblem } from '../auth/password.ts'
import { findApiKey, revokeApiKey } from '../api-keys/api-key.repository.ts'
import { audit, auditInEachAccountOf } from '../audit/audit.service.ts'
import type { Database } from '../db/schema.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { belongsToDomains, normalizeDomain, normalizeEmail } from '../invitations/email-rule.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import { AppError } from '../shared/app-error.ts'
import type { Actor, RequestMeta } from '../shared/actor.ts'
import { parseBaseRole } from '../roles/role.ts'
import type { Deps } from '../shared/deps.ts'
import { addMember } from '../team/add-member.ts'
import { findMemberByEmail, insertMembership } from '../team/membership.repository.ts'
import { endSignInsOfUser } from '../sessions/end-sign-ins.ts'
import { findUserByEmail, insertUser, updatePasswordHash } from '../users/user.repository.ts'
import { accountError } from './account.errors.ts'
import { deleteAccount, findAccount, insertAccount } from './account.repository.ts'
import { isRowId } from '../shared/row-id.ts'

export interface CreateAccountInput {
  name: string
  domains: readonly string[]
  adminEmail: string
  adminName?: string | undefined
  adminPasswordHash?: string | undefined
}

function personName(input: string | undefined, email: string): string {
  if (input === undefined) return email.slice(0, email.indexOf('@'))
  const name = withoutControls(input)
  if (name.length === 0 || name.length > 200) throw accountError('INVALID_NAME')
  return name
}

export interface ValidAccount {
  name: string
  domains: string[]
  email: string
  adminName: string
  adminPasswordHash: string | null
  /** The CLI hands the operator an ADMIN key; first-run setup signs the ADMIN in instead. */
  withApiKey: boolean
}

/** Checks and normalises an account to create, before any transaction opens. */
export function validAccount(input: CreateAccountInput, withApiKey = true): ValidAccount {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 200) throw accountError('INVALID_ACCOUNT_NAME')
  if (input.domains.length === 0) throw accountError('NO_DOMAIN')
  const domains = input.domains.map((d) => normalizeDomain(d))
  if (domains.some((d) => d === undefined)) throw accountError('INVALID_DOMAIN')
  const uniqueDomains = [...new Set(domains as string[])]
  const email = normalizeEmail(input.adminEmail)
  if (!email) throw accountError('INVALID_EMAIL')
  if (!belongsToDomains(email, uniqueDomains)) throw accountError('ADMIN_OUTSIDE_DOMAINS')
  const adminName = personName(input.adminName, email)
  return {
    name,
    domains: uniqueDomains,
    email,
    adminName,
    adminPasswordHash: input.adminPasswordHash ?? null,
    withApiKey,
  }
}

/** The account, its first ADMIN (an existing user keeps their password) and maybe a key, in the caller's transaction. */
export async function insertAccountWithAdmin(
  trx: Kysely<Database>,
  meta: RequestMeta | null,
  a: ValidAccount,
  now: number,
) {
  const accountId = await insertAccount(trx, { name: a.name, domains: a.domains, now })
  const existing = await findUserByEmail(trx, a.email)
  const userId =
    existing?.id ??
    (await insertUser(trx, { email: a.email, name: a.adminName, passwordHash: a.adminPasswordHash, now }))
  await insertMembership(trx, { accountId, userId, role: 'ADMIN', now })
  // Through setup (a request) the new ADMIN is the actor; through the CLI, the operator.
  await audit(trx, meta, {
    accountId,
    action: 'account.create',
    target: a.email,
    details: { name: a.name, domains: a.domains },
    now,
    userId: meta ? userId : null,
  })
  const key = a.withApiKey ? await createKey(trx, null, { accountId, userId, name: 'admin', now }) : undefined
  return { accountId, userId, apiKey: key?.key ?? '' }
}

export function accountService(deps: Deps) {
  const { db } = deps.database

  async function requireAccount(accountId: number) {
    if (!isRowId(accountId) || !(await findAccount(db, accountId))) throw accountError('ACCOUNT_NOT_FOUND')
  }

  return {
    async createAccount(input: CreateAccountInput) {
      const valid = validAccount(input)
      return db.transaction().execute((trx) => insertAccountWithAdmin(trx, null, valid, deps.clock()))
    },

    /** Operator shortcut: a member without an invitation. */
    async addUser(input: { accountId: number; email: string; name?: string | undefined; role: string }) {
      await requireAccount(input.accountId)
      const email = normalizeEmail(input.email)
      if (!email) throw accountError('INVALID_EMAIL')
      return inAccountTransaction(deps, input.accountId, async (trx) => {
        const role = await resolveRole(trx, input.accountId, input.role)
        if (!role) throw accountError('INVALID_ROLE')
        if (await findMemberByEmail(trx, input.accountId, email)) throw accountError('ALREADY_MEMBER')
        const name = personName(input.name, email)
        return addMember(trx, null, {
          accountId: input.accountId,
          email,
          name,
          role: role.name,
          now: deps.clock(),
        })
      })
    },

    async createApiKey(input: { accountId: number; email: string; name?: string | undefined }) {
      await requireAccount(input.accountId)
      const email = normalizeEmail(input.email)
      if (!email) throw accountError('INVALID_EMAIL')
      const name = keyName(input.name, 'cli')
      return inAccountTransaction(deps, input.accountId, async (trx) => {
        const member = await findMemberByEmail(trx, input.accountId, email)
        if (!member) throw accountError('NOT_A_MEMBER')
        const key = await createKey(trx, null, {
          accountId: input.accountId,
          userId: member.userId,
          name,
          now: deps.clock(),
        })
        return { apiKey: key.key, id: key.id }
      })
    },

    async revokeApiKey(id: number) {
      const key = isRowId(id) ? await findApiKey(db, id) : undefined
      if (!key) throw accountError('API_KEY_NOT_FOUND')
      return inAccountTransaction(deps, key.account_id, async (trx) => {
        const now = deps.clock()
        const revoked = await revokeApiKey(trx, id, now)
        if (revoked)
          await audit(trx, null, {
            accountId: key.account_id,
            action: 'api_key.revoke',
            target: String(id),
            now,
          })
        return { id, revoked: true }
      })
    },

    /** Operator shortcut: sets a user's password (e.g. the first ADMIN's, to sign in to the web page). */
    /**
     * Operator only: sets a user's password. As a reset does, it ends every session of the user
     * and every sign-in waiting for its second factor (a password set because the old one leaked
     * must not leave the intruder signed in), audited in each of their accounts.
     */
    async setPassword(input: { email: string; password: string }) {
      const email = normalizeEmail(input.email)
      if (!email) throw accountError('INVALID_EMAIL')
      const problem = passwordProblem(input.password)
      if (problem) throw new AppError('WEAK_PASSWORD', problem)
      const user = await findUserByEmail(db, email)
      if (!user) throw accountError('USER_NOT_FOUND')
      const passwordHash = await hashPassword(input.password)
      const now = deps.clock()
      return db.transaction().execute(async (trx) => {
        await updatePasswordHash(trx, user.id, passwordHash)
        const sessionsEnded = await endSignInsOfUser(trx, user.id)
        await auditInEachAccountOf(trx, null, user.id, {
          action: 'password.set_by_operator',
          target: user.email,
          details: { sessionsEnded },
          now,
        })
        return { userId: user.id, sessionsEnded }
      })
    },

    /** Operator only: the account and everything in it; its members' other accounts stay. */
    async deleteAccount(accountId: number) {
      return inAccountTransaction(deps, accountId, async (trx) => {
        if (!(await findAccount(trx, accountId))) throw accountError('ACCOUNT_NOT_FOUND')
        await audit(trx, null, { accountId, action: 'account.delete', now: deps.clock() })
        await deleteAccount(trx, accountId)
        return { accountId, deleted: true }
      })
    },

    /** The CLI acting as a member (`roster invite --as`): the actor their API key would give. */
    async actorFor(accountId: number, emailInput: string): Promise<Actor> {
      await requireAccount(accountId)
      const email = normalizeEmail(emailInput)
      if (!email) throw accountError('INVALID_EMAIL')
      const member = await findMemberByEmail(db, accountId, email)
      const baseRole = parseBaseRole(member?.baseRole)
      if (!member || !baseRole) throw accountError('NOT_A_MEMBER')
      return {
        userId: member.userId,
        accountId,
        email,
        roleName: member.role,
        baseRole,
        apiKeyId: null,
        sessionId: null,
        teamVersion: 0,
      }
    },

    requireAccount,
  }
}

export type AccountService = ReturnType<typeof accountService>
