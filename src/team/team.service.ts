/** Listing the team, removing members or invitations, changing roles (spec §3, §5, §6). */
import { assertActorMay } from '../auth/actor-check.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { supersedePendingMail } from '../mail/mail.repository.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { deleteInvitationByEmail, listPendingInvitations } from '../invitations/invitation.repository.ts'
import { resolveRole } from '../roles/role-resolver.ts'
import { hierarchyOf, isWithin, type BaseRole } from '../roles/role.ts'
import type { Actor, RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import {
  deleteMembership,
  findMemberByEmail,
  listMembersJson,
  updateMembershipRole,
} from './membership.repository.ts'
import { teamError } from './team.errors.ts'
import { assertKeepsAnAdmin, baseOf, endMemberAccess, type OnMemberRemoved } from './team.rules.ts'
import { teamListCache } from './team-list-cache.ts'

export interface MemberItem {
  id: number
  login: string
  name: string
  role: string
}

export interface InvitationItem extends MemberItem {
  isInvitation: true
  expiresAt: string
  /** Delivery of the invitation email: pending, sending, sent or failed. */
  emailStatus?: string
}

/** The body removeUser and makeAdmin answer with (Akto's shape). */
export interface TeamChangeResult {
  email: string
  id: 0
  passwordResetToken: null
  roleHierarchy: 'SUCCESS'
  userRoleHierarchy: BaseRole[]
  users: null
}

export type { OnMemberRemoved } from './team.rules.ts'

function emailOrError(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') throw teamError('INVALID_EMAIL')
  // A well-formed request for an address that cannot exist is simply not found.
  return normalizeEmail(input) ?? input.trim().toLowerCase()
}

export function teamService(deps: Deps, onMemberRemoved: OnMemberRemoved[] = []) {
  const { db } = deps.database

  const cache = teamListCache()
  const building = new Map<string, Promise<Buffer>>()

  /**
   * getTeamData's body: members (built by the database, see listMembersJson), then pending
   * invitations. On every dashboard page, so it is served from the cache while the account's
   * team_version is the one it was built at (see team-list-cache.ts).
   */
  async function listJson(actor: Actor): Promise<Buffer> {
    // The version was read with the credential, before the list: a list built afterwards is at
    // least that new, so tagging it with this version is never optimistic.
    const version = actor.teamVersion
    const now = deps.clock()
    const cached = cache.get(actor.accountId, version, now)
    if (cached) return cached
    // Requests that miss together share one build: a burst on a large team builds it once,
    // instead of each holding its own copy of several megabytes.
    const key = `${actor.accountId}:${version}`
    let build = building.get(key)
    if (!build) {
      build = buildListJson(actor.accountId, version, now).finally(() => building.delete(key))
      building.set(key, build)
    }
    return build
  }

  async function buildListJson(accountId: number, version: number, now: number): Promise<Buffer> {
    const [members, invitations] = await Promise.all([
      listMembersJson(db, accountId),
      listPendingInvitations(db, accountId, now),
    ])
    let validUntil = Number.POSITIVE_INFINITY
    const items: InvitationItem[] = invitations.map((inv) => {
      validUntil = Math.min(validUntil, Number(inv.expires_at))
      return {
        id: inv.inviter_id,
        login: inv.email,
        name: '-',
        role: `Invitation sent for ${inv.role}`,
        isInvitation: true,
        expiresAt: new Date(inv.expires_at).toISOString(),
        ...(inv.emailStatus ? { emailStatus: inv.emailStatus } : {}),
      }
    })
    const tail = JSON.stringify(items)
    const json =
      items.length === 0 ? members : members === '[]' ? tail : `${members.slice(0, -1)},${tail.slice(1)}`
    const body = Buffer.from(json)
    cache.set(accountId, { version, body, validUntil })
    return body
  }

  function changeResult(email: string, actorBase: BaseRole): TeamChangeResult {
    return {
      email,
      id: 0,
      passwordResetToken: null,
      roleHierarchy: 'SUCCESS',
      userRoleHierarchy: hierarchyOf(actorBase),
      users: null,
    }
  }

  return {
    listJson,

    async remove(ctx: RequestContext, emailInput: unknown): Promise<TeamChangeResult> {
      const email = emailOrError(emailInput)
      const { actor } = ctx
      return inAccountTransaction(deps, actor.accountId, async (trx) => {
        const actorBase = await assertActorMay(trx, actor, 'members:remove')
        const now = deps.clock()
        const member = await findMemberByEmail(trx, actor.accountId, email)
        if (member) {
          if (member.userId === actor.userId) throw teamError('SELF_ACTION')
          const targetBase = baseOf(member.baseRole)
          if (!isWithin(actorBase, targetBase)) throw teamError('ROLE_NOT_MODIFIABLE')
          await assertKeepsAnAdmin(trx, actor.accountId, member, null)
          await deleteMembership(trx, actor.accountId, member.userId, now)
          await endMemberAccess(
            trx,
            ctx,
            onMemberRemoved,
            { accountId: actor.accountId, userId: member.userId },
            now,
          )
          await deleteInvitationByEmail(trx, actor.accountId, email)
          await supersedePendingMail(trx, actor.accountId, email)
          await audit(trx, ctx, {
            accountId: actor.accountId,
            action: 'member.remove',
            target: email,
            details: { role: member.role },
            subject: { userId: member.userId },
            now,
          })
        } else {
          if (!(await deleteInvitationByEmail(trx, actor.accountId, email))) throw teamError('USER_NOT_FOUND')
          // A cancelled invitation's undelivered email is never sent.
          await supersedePendingMail(trx, actor.accountId, email)
          await audit(trx, ctx, {
            accountId: actor.accountId,
            action: 'invitation.cancel',
            target: email,
            now,
          })
        }
        return changeResult(email, actorBase)
      })
    },

    async changeRole(
      ctx: RequestContext,
      emailInput: unknown,
      roleInput: unknown,
    ): Promise<TeamChangeResult> {
      const email = emailOrError(emailInput)
      const { actor } = ctx
      if (email === actor.email) throw teamError('SELF_ACTION')
      return inAccountTransaction(deps, actor.accountId, async (trx) => {
        const actorBase = await assertActorMay(trx, actor, 'members:changeRole')
        const role = await resolveRole(trx, actor.accountId, roleInput)
        if (!role) throw teamError('INVALID_USER_ROLE')
        const member = await findMemberByEmail(trx, actor.accountId, email)
        if (!member) throw teamError('USER_NOT_FOUND')
        const currentBase = baseOf(member.baseRole)
        if (!isWithin(actorBase, currentBase) || !isWithin(actorBase, role.baseRole))
          throw teamError('ROLE_NOT_MODIFIABLE')
        await assertKeepsAnAdmin(trx, actor.accountId, member, role.baseRole)
        if (member.role !== role.name) {
          await updateMembershipRole(
            trx,
            actor.accountId,
            member.userId,
            { from: member.role, to: role.name },
            deps.clock(),
          )
          await audit(trx, ctx, {
            accountId: actor.accountId,
            action: 'member.role_change',
            target: email,
            details: { from: member.role, to: role.name },
            subject: { userId: member.userId },
            now: deps.clock(),
          })
        }
        return changeResult(email, actorBase)
      })
    },
  }
}

export type TeamService = ReturnType<typeof teamService>
