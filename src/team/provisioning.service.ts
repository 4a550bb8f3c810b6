/**
 * Member changes made by a system on the account's behalf — an identity provider through SCIM —
 * rather than by a member. The rules are the team's (team.rules.ts): the last active ADMIN is
 * kept, removal and suspension end access at once, every change is audited in its transaction
 * with the system as actor. A system acts with an ADMIN's reach.
 */
import { audit } from '../audit/audit.service.ts'
import { domainsOf, findAccount } from '../accounts/account.repository.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { belongsToDomains, normalizeEmail } from '../invitations/email-rule.ts'
import { deleteInvitationByEmail } from '../invitations/invitation.repository.ts'
import { supersedePendingMail } from '../mail/mail.repository.ts'
import { resolveRole, type ResolvedRole } from '../roles/role-resolver.ts'
import type { SystemContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { withoutControls } from '../shared/without-controls.ts'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { findUserByEmail, insertUser } from '../users/user.repository.ts'
import {
  deleteMembership,
  findProfile,
  findMemberByEmail,
  findMemberById,
  insertMembership,
  setMembershipSuspended,
  updateMembershipProfile,
  updateMembershipRole,
  type MemberProfile,
} from './membership.repository.ts'
import { teamError } from './team.errors.ts'
import { assertKeepsAnAdmin, baseOf, endMemberAccess, type OnMemberRemoved } from './team.rules.ts'
import { isRowId } from '../shared/row-id.ts'

export type { MemberProfile } from './membership.repository.ts'

export interface NewProvisionedMember {
  email: unknown
  /** A role name; the account's SCIM default role when absent. */
  role?: string | undefined
  active: boolean
  profile: MemberProfile
}

/** A member as a change finds them. */
export type Member = NonNullable<Awaited<ReturnType<typeof findMemberById>>>

export interface MemberChange {
  /** A role name; null for the account's SCIM default role; undefined leaves the role as it is. */
  role?: string | null | undefined
  active?: boolean | undefined
  profile?: MemberProfile | undefined
}

function cleanProfile(p: MemberProfile): MemberProfile {
  const clean = (v: string | null) => {
    if (v === null) return null
    const text = withoutControls(v)
    if (text.length > 200) throw teamError('INVALID_NAME')
    return text === '' ? null : text
  }
  return {
    externalId: clean(p.externalId),
    givenName: clean(p.givenName),
    familyName: clean(p.familyName),
    displayName: clean(p.displayName),
  }
}

function personName(p: MemberProfile, email: string): string {
  const full = [p.givenName, p.familyName].filter((x) => x).join(' ')
  return p.displayName ?? (full || email.slice(0, email.indexOf('@')))
}

const sameProfile = (a: MemberProfile, b: MemberProfile) =>
  a.externalId === b.externalId &&
  a.givenName === b.givenName &&
  a.familyName === b.familyName &&
  a.displayName === b.displayName

export function provisioningService(deps: Deps, onMemberRemoved: OnMemberRemoved[] = []) {
  async function roleOrDefault(
    trx: Kysely<Database>,
    accountId: number,
    input: string | undefined,
  ): Promise<ResolvedRole> {
    const name = input ?? (await findAccount(trx, accountId))?.scim_default_role ?? 'GUEST'
    const role = await resolveRole(trx, accountId, name)
    if (!role) throw teamError('INVALID_USER_ROLE')
    return role
  }

  async function memberOrError(trx: Kysely<Database>, accountId: number, userId: number, ifVersion?: number) {
    const member = isRowId(userId) ? await findMemberById(trx, accountId, userId) : undefined
    if (!member) throw teamError('USER_NOT_FOUND')
    if (ifVersion !== undefined && Number(member.version) !== ifVersion) throw teamError('VERSION_MISMATCH')
    return member
  }

  /** One member's role, suspension and profile, in the caller's transaction (the account locked). */
  async function applyChange(
    trx: Transaction<Database>,
    ctx: SystemContext,
    userId: number,
    decide: (member: Member) => MemberChange | undefined,
    ifVersion?: number,
  ): Promise<void> {
    const { accountId } = ctx
    const member = await memberOrError(trx, accountId, userId, ifVersion)
    const change = decide(member)
    if (!change) return
    const profile = change.profile && cleanProfile(change.profile)
    const now = deps.clock()
    const role =
      change.role === undefined ? undefined : await roleOrDefault(trx, accountId, change.role ?? undefined)
    const suspended = member.suspendedAt !== null
    const suspend = change.active === false && !suspended
    const restore = change.active === true && suspended
    const staysSuspended = suspended && !restore
    const nextBase = suspend || staysSuspended ? null : (role?.baseRole ?? baseOf(member.baseRole))
    await assertKeepsAnAdmin(trx, accountId, member, nextBase)
    const target = member.email
    if (role && role.name !== member.role) {
      await updateMembershipRole(trx, accountId, userId, { from: member.role, to: role.name }, now)
      await audit(trx, ctx, {
        accountId,
        action: 'member.role_change',
        target,
        details: { from: member.role, to: role.name },
        subject: { userId },
        now,
      })
    }
    if (suspend && (await setMembershipSuspended(trx, accountId, userId, now, now))) {
      await endMemberAccess(trx, ctx, onMemberRemoved, { accountId, userId }, now)
      await audit(trx, ctx, { accountId, action: 'member.suspend', target, now })
    }
    if (restore && (await setMembershipSuspended(trx, accountId, userId, null, now))) {
      await audit(trx, ctx, {
        accountId,
        action: 'member.restore',
        target,
        details: { role: role?.name ?? member.role },
        now,
      })
    }
    if (profile) {
      const current = await findProfile(trx, accountId, userId)
      if (!current || !sameProfile(current, profile)) {
        await updateMembershipProfile(trx, accountId, userId, profile, now)
        await audit(trx, ctx, { accountId, action: 'member.profile_change', target, now })
      }
    }
  }

  return {
    /** A member straight away (the identity provider vouches for them), suspended when not active. */
    async add(ctx: SystemContext, input: NewProvisionedMember): Promise<{ userId: number }> {
      const email = normalizeEmail(input.email)
      if (!email) throw teamError('INVALID_EMAIL')
      const profile = cleanProfile(input.profile)
      const { accountId } = ctx
      return inAccountTransaction(deps, accountId, async (trx) => {
        if (!belongsToDomains(email, await domainsOf(trx, accountId)))
          throw teamError('EMAIL_OUTSIDE_DOMAINS')
        const role = await roleOrDefault(trx, accountId, input.role)
        if (await findMemberByEmail(trx, accountId, email)) throw teamError('ALREADY_MEMBER')
        const now = deps.clock()
        // An existing user (a member elsewhere) keeps their name and password.
        const existing = await findUserByEmail(trx, email)
        const userId =
          existing?.id ?? (await insertUser(trx, { email, name: personName(profile, email), now }))
        await insertMembership(trx, {
          accountId,
          userId,
          role: role.name,
          now,
          suspended: !input.active,
          profile,
        })
        // A pending invitation for them is settled by the membership.
        await deleteInvitationByEmail(trx, accountId, email)
        await supersedePendingMail(trx, accountId, email)
        await audit(trx, ctx, {
          accountId,
          action: 'member.add',
          target: email,
          details: { role: role.name, active: input.active },
          subject: { userId },
          now,
        })
        return { userId }
      })
    },

    /** Role, suspension and profile in one transaction; `ifVersion` guards against a stale read. */
    async update(
      ctx: SystemContext,
      userId: number,
      change: MemberChange,
      ifVersion?: number,
    ): Promise<void> {
      await inAccountTransaction(deps, ctx.accountId, (trx) =>
        applyChange(trx, ctx, userId, () => change, ifVersion),
      )
    },

    /**
     * Several members' changes as one use case, all made or none (a SCIM PATCH of a group is
     * atomic, RFC 7644 §3.5.2): `work` calls `change` for each in turn, whose `decide` sees the
     * member as the earlier changes left them (undefined: nothing to change), and reads through `trx`.
     */
    async updateTogether(
      ctx: SystemContext,
      work: (
        change: (userId: number, decide: (member: Member) => MemberChange | undefined) => Promise<void>,
        trx: Transaction<Database>,
      ) => Promise<void>,
    ): Promise<void> {
      await inAccountTransaction(deps, ctx.accountId, (trx) =>
        work((userId, decide) => applyChange(trx, ctx, userId, decide), trx),
      )
    },

    /** Removes the membership; the user's sessions and keys for this account end with it. */
    async remove(ctx: SystemContext, userId: number, ifVersion?: number): Promise<void> {
      const { accountId } = ctx
      await inAccountTransaction(deps, accountId, async (trx) => {
        const member = await memberOrError(trx, accountId, userId, ifVersion)
        await assertKeepsAnAdmin(trx, accountId, member, null)
        const now = deps.clock()
        await deleteMembership(trx, accountId, userId, now)
        await endMemberAccess(trx, ctx, onMemberRemoved, { accountId, userId }, now)
        await deleteInvitationByEmail(trx, accountId, member.email)
        await supersedePendingMail(trx, accountId, member.email)
        await audit(trx, ctx, {
          accountId,
          action: 'member.remove',
          target: member.email,
          details: { role: member.role },
          subject: { userId },
          now,
        })
      })
    },
  }
}

export type ProvisioningService = ReturnType<typeof provisioningService>
