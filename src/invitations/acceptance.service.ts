/**
 * Accepting an invitation (spec §7): the code must verify (signature, `exp`, `sub`, email claim),
 * match the account's current invitation, and is consumed once by a guarded delete. A new user
 * sets a name and password; a user who has a password signs in with it. Either way they join
 * with the invited role and leave with a session.
 */
import { withoutControls } from '../shared/without-controls.ts'
import { findAccount } from '../accounts/account.repository.ts'
import { audit } from '../audit/audit.service.ts'
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { touchAccountsOfUser } from '../accounts/account.repository.ts'
import { supersedePendingMail } from '../mail/mail.repository.ts'
import type { SessionService } from '../sessions/session.service.ts'
import type { RequestMeta } from '../shared/actor.ts'
import { AppError } from '../shared/app-error.ts'
import type { Deps } from '../shared/deps.ts'
import { hasConfirmedTotp } from '../mfa/mfa.repository.ts'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'
import { findMemberById, insertMembership } from '../team/membership.repository.ts'
import { findUserByEmail, findUserById, insertUser, setUserCredentials } from '../users/user.repository.ts'
import { normalizeEmail } from './email-rule.ts'
import { acceptanceError } from './invitation.errors.ts'
import { consumeInvitation, findInvitationByTokenId, findInvitationOfEmail } from './invitation.repository.ts'
import { verifyInviteToken } from './invite-token.ts'
import { assertPasswordAllowed } from '../sso/sso-policy.ts'
import { findSsoConfig } from '../sso/sso.repository.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import { isWithin, parseBaseRole } from '../roles/role.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export interface InvitationRef {
  signupInvitationCode?: unknown
  signupEmailId?: unknown
}

export interface AcceptInput extends InvitationRef {
  name?: unknown
  password?: unknown
}

export interface InvitationInfo {
  email: string
  accountName: string
  inviterName: string
  inviterEmail: string
  role: string
  expiresAt: string
  /** True when the invitee already has a password: they sign in instead of choosing one. */
  userExists: boolean
  ssoAvailable: boolean
}

export interface Accepted {
  accountId: number
  userId: number
  role: string
  /** Joined, but not signed in: the user has two-factor on and signs in with their code. */
  signInRequired?: true
}

function personName(input: unknown, fallback: string): string {
  if (input === undefined || input === null || input === '') return fallback
  if (typeof input !== 'string') throw acceptanceError('INVALID_NAME')
  const name = withoutControls(input)
  if (name.length === 0 || name.length > 200) throw acceptanceError('INVALID_NAME')
  return name
}

/**
 * Whether the inviter may still grant the invitation's role, as both are now: a custom role
 * raised since (updateCustomRole), or an inviter demoted, suspended or removed since, carries no
 * one above the inviter's reach (spec §4.5, §8). Checked in the accepting transaction.
 */
async function inviterStillReaches(
  trx: Kysely<Database>,
  accountId: number,
  inviterId: number,
  roleName: string,
): Promise<boolean> {
  const inviter = await findMemberById(trx, accountId, inviterId)
  const inviterBase = inviter?.suspendedAt === null ? parseBaseRole(inviter.baseRole) : undefined
  const role = await resolveRole(trx, accountId, roleName)
  return inviterBase !== undefined && role !== undefined && isWithin(inviterBase, role.baseRole)
}

export function acceptanceService(deps: Deps, keys: SigningKeys, sessions: SessionService) {
  const { db } = deps.database

  /** The pending invitation a link stands for, or the refusal the spec names. */
  async function resolve(ref: InvitationRef, now: number) {
    const verified = await verifyInviteToken(keys, ref.signupInvitationCode as string, now)
    if (!verified.ok)
      throw acceptanceError(verified.reason === 'expired' ? 'INVITATION_EXPIRED' : 'INVITATION_NOT_FOUND')
    const email = normalizeEmail(ref.signupEmailId)
    if (email !== verified.claims.email) throw acceptanceError('INVITATION_WRONG_USER')
    const invitation = await findInvitationByTokenId(db, verified.claims.tokenId)
    if (!invitation || invitation.email !== email) throw acceptanceError('INVITATION_NOT_FOUND')
    if (invitation.expires_at <= now) throw acceptanceError('INVITATION_EXPIRED')
    return { invitation, email }
  }

  type Proof =
    | { kind: 'password'; credentials: { name: string; passwordHash: string } | undefined }
    | { kind: 'sso'; name: string | undefined }

  type Invitation = NonNullable<Awaited<ReturnType<typeof findInvitationByTokenId>>>

  /**
   * The single-use consumption and the membership, in the account's transaction; and a session,
   * except for a password alone where the user has two-factor on (token undefined). The identity
   * provider's sign-in always gives one.
   */
  function join(
    invitation: Invitation,
    email: string,
    proof: Extract<Proof, { kind: 'sso' }>,
    meta: RequestMeta,
  ): Promise<{ token: string; accepted: Accepted }>
  function join(
    invitation: Invitation,
    email: string,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<{ token: string | undefined; accepted: Accepted }>
  function join(
    invitation: Invitation,
    email: string,
    proof: Proof,
    meta: RequestMeta,
  ): Promise<{ token: string | undefined; accepted: Accepted }> {
    const credentials = proof.kind === 'password' ? proof.credentials : undefined
    const accountId = invitation.account_id
    return inAccountTransaction(deps, accountId, async (trx) => {
      const now = deps.clock()
      const current = await findInvitationByTokenId(trx, invitation.token_id)
      if (current && current.expires_at <= now) throw acceptanceError('INVITATION_EXPIRED')
      // The guarded delete is what makes a code single-use, also under concurrent accepts.
      if (!current || !(await consumeInvitation(trx, invitation.token_id)))
        throw acceptanceError('INVITATION_NOT_FOUND')
      if (!(await inviterStillReaches(trx, accountId, current.inviter_id, current.role)))
        throw acceptanceError('INVITATION_ABOVE_INVITER')
      const user = await findUserByEmail(trx, email)
      let userId: number
      if (proof.kind === 'sso') {
        // The identity provider vouched for the email: no password is set or asked for.
        const name = personName(proof.name, invitation.name ?? email.slice(0, email.indexOf('@')))
        userId = user?.id ?? (await insertUser(trx, { email, name, now }))
      } else if (!user) {
        if (!credentials) throw acceptanceError('INVITATION_NOT_FOUND')
        userId = await insertUser(trx, {
          email,
          name: credentials.name,
          passwordHash: credentials.passwordHash,
          now,
        })
      } else if (!user.password_hash) {
        if (!credentials || !(await setUserCredentials(trx, user.id, credentials)))
          throw acceptanceError('WRONG_PASSWORD')
        // Their name may have changed: it shows in the team list of every account they are in.
        await touchAccountsOfUser(trx, user.id)
        userId = user.id
      } else {
        // A password set since we checked: the one given was for a user without one.
        if (credentials) throw acceptanceError('WRONG_PASSWORD')
        userId = user.id
      }
      if (await findMemberById(trx, accountId, userId)) throw acceptanceError('ALREADY_MEMBER')
      await insertMembership(trx, { accountId, userId, role: invitation.role, now })
      // Accepted before its email went out: the email is moot.
      await supersedePendingMail(trx, accountId, email)
      await audit(trx, meta, {
        accountId,
        action: 'invitation.accept',
        target: email,
        details: proof.kind === 'sso' ? { role: invitation.role, via: 'sso' } : { role: invitation.role },
        userId,
        now,
      })
      const accepted = { accountId, userId, role: invitation.role }
      // A password is one factor: a user with two-factor on joins, and then signs in with their
      // code, as /api/login would ask. Signing them in here would skip their second factor.
      if (proof.kind === 'password' && (await hasConfirmedTotp(trx, userId)))
        return { token: undefined, accepted: { ...accepted, signInRequired: true } }
      const token = await sessions.open(trx, userId, accountId, now, { meta, method: proof.kind })
      return { token, accepted }
    })
  }

  return {
    async info(ref: InvitationRef): Promise<InvitationInfo> {
      const { invitation, email } = await resolve(ref, deps.clock())
      const [account, inviter, user, sso] = await Promise.all([
        findAccount(db, invitation.account_id),
        findUserById(db, invitation.inviter_id),
        findUserByEmail(db, email),
        findSsoConfig(db, invitation.account_id),
      ])
      return {
        email,
        accountName: account?.name ?? '',
        inviterName: inviter?.name ?? '',
        inviterEmail: inviter?.email ?? '',
        role: invitation.role,
        expiresAt: new Date(invitation.expires_at).toISOString(),
        userExists: Boolean(user?.password_hash),
        ssoAvailable: sso !== undefined,
      }
    },

    async accept(
      input: AcceptInput,
      meta: RequestMeta,
    ): Promise<{ token: string | undefined; accepted: Accepted }> {
      const { invitation, email } = await resolve(input, deps.clock())
      await assertPasswordAllowed(db, invitation.account_id, email)
      const password = typeof input.password === 'string' ? input.password : ''
      // The slow password work happens before the transaction, so no lock waits on scrypt.
      const existing = await findUserByEmail(db, email)
      let credentials: { name: string; passwordHash: string } | undefined
      if (existing?.password_hash) {
        if (!(await verifyPassword(existing.password_hash, password))) throw acceptanceError('WRONG_PASSWORD')
      } else {
        const problem = passwordProblem(input.password)
        if (problem) throw new AppError('WEAK_PASSWORD', problem)
        const name = personName(
          input.name,
          existing?.name ?? invitation.name ?? email.slice(0, email.indexOf('@')),
        )
        credentials = { name, passwordHash: await hashPassword(password) }
      }
      return join(invitation, email, { kind: 'password', credentials }, meta)
    },

    /**
     * An invitee whose email the account's identity provider has just proven (single sign-on):
     * the invitation is checked and consumed exactly as above, with no password. With the
     * link's code (the flow started from the invitation link) the code must verify too; without
     * it, the account's invitation for that email is the one consumed. Undefined: no invitation.
     */
    /** The account an invitation link is for, after every check of the link (single sign-on starts there). */
    async accountOf(ref: InvitationRef): Promise<{ accountId: number; email: string }> {
      const { invitation, email } = await resolve(ref, deps.clock())
      return { accountId: invitation.account_id, email }
    },

    async acceptVerified(
      input: { accountId: number; email: string; name?: string | undefined; ref?: InvitationRef | undefined },
      meta: RequestMeta,
    ): Promise<{ token: string; accepted: Accepted } | undefined> {
      const now = deps.clock()
      let invitation
      if (input.ref) {
        const resolved = await resolve(input.ref, now)
        if (resolved.email !== input.email) throw acceptanceError('INVITATION_WRONG_USER')
        if (resolved.invitation.account_id !== input.accountId) throw acceptanceError('INVITATION_NOT_FOUND')
        invitation = resolved.invitation
      } else {
        invitation = await findInvitationOfEmail(db, input.accountId, input.email)
        if (!invitation) return undefined
        if (invitation.expires_at <= now) throw acceptanceError('INVITATION_EXPIRED')
      }
      return join(invitation, input.email, { kind: 'sso', name: input.name }, meta)
    },
  }
}

export type AcceptanceService = ReturnType<typeof acceptanceService>
