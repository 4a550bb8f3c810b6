/**
 * Akto's resetUserPassword: an ADMIN has a single-use password-reset link made and emailed to a
 * member below or at their level (never themselves). The link and its rules are self-service
 * reset's (issueResetLink), on the `websiteHostName` the dashboard sends when it is an allowed
 * origin, as inviteUsers' links are; the answer is the removeUser shape with the link in it.
 */
import { assertActorMay } from '../auth/actor-check.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { normalizeEmail } from '../invitations/email-rule.ts'
import { issueResetLink } from '../password-reset/password-reset.service.ts'
import { hierarchyOf, isWithin } from '../roles/role.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { commonError } from '../shared/errors.ts'
import { linkOrigin } from '../shared/link-origin.ts'
import { findUserById } from '../users/user.repository.ts'
import { findMemberByEmail } from './membership.repository.ts'
import { teamError } from './team.errors.ts'
import { baseOf } from './team.rules.ts'

export function memberPasswordResetService(deps: Deps, mailQueued: () => void) {
  return {
    async reset(ctx: RequestContext, emailInput: unknown, websiteHostName?: unknown) {
      const email = normalizeEmail(emailInput)
      if (email === undefined) throw teamError('USER_NOT_FOUND')
      const origin = linkOrigin(deps.config, websiteHostName)
      const { actor } = ctx
      const result = await inAccountTransaction(deps, actor.accountId, async (trx) => {
        const actorBase = await assertActorMay(trx, actor, 'members:resetPassword')
        const member = await findMemberByEmail(trx, actor.accountId, email)
        const user = member ? await findUserById(trx, member.userId) : undefined
        if (!member || !user) throw teamError('USER_NOT_FOUND')
        if (member.userId === actor.userId) throw teamError('SELF_ACTION')
        if (!isWithin(actorBase, baseOf(member.baseRole))) throw teamError('ROLE_NOT_MODIFIABLE')
        // Checked last, as inviteUsers checks it (spec §4.6): before anything is issued.
        if (!origin) throw commonError('INVALID_WEBSITE_HOST')
        const now = deps.clock()
        const link = await issueResetLink(
          deps,
          trx,
          { id: user.id, email: user.email, name: user.name },
          actor.accountId,
          now,
          origin,
        )
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'member.password_reset',
          target: email,
          now,
        })
        return {
          email,
          id: 0,
          passwordResetToken: link,
          roleHierarchy: 'SUCCESS',
          userRoleHierarchy: hierarchyOf(actorBase),
          users: null,
        }
      })
      mailQueued()
      return result
    },
  }
}

export type MemberPasswordResetService = ReturnType<typeof memberPasswordResetService>
