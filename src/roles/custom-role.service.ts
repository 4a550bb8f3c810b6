/** Custom roles of an account (spec §2, §6): a name and a built-in base role. */
import { assertActorMay } from '../auth/actor-check.ts'
import { audit } from '../audit/audit.service.ts'
import { inAccountTransaction } from '../db/transaction.ts'
import { countInvitationsWithRole } from '../invitations/invitation.repository.ts'
import type { Actor, RequestContext, SystemContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import { countMembersWithRole } from '../team/membership.repository.ts'
import { assertAdminsRemain } from '../team/team.rules.ts'
import { customRoleError, reservedRoleName } from './custom-role.errors.ts'
import {
  clearDefaultInviteRole,
  deleteCustomRole,
  findCustomRole,
  insertCustomRole,
  listCustomRoles,
  updateCustomRole,
} from './custom-role.repository.ts'
import { parseBaseRole, RESERVED_ROLE_NAMES } from './role.ts'

export interface CustomRoleView {
  name: string
  baseRole: string
  defaultInviteRole: boolean
}

/** Validates a role name in the order of Akto's messages; returns it upper-case. */
export function validateRoleName(input: unknown): string {
  const raw = typeof input === 'string' ? input.trim() : ''
  if (raw === '') throw customRoleError('ROLE_NAME_EMPTY')
  if (raw.length > 50) throw customRoleError('ROLE_NAME_TOO_LONG')
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw customRoleError('ROLE_NAME_INVALID')
  const name = raw.toUpperCase()
  if (RESERVED_ROLE_NAMES.has(name)) throw reservedRoleName(name)
  return name
}

export function customRoleService(deps: Deps) {
  const { db } = deps.database

  async function list(accountId: number, trx = db): Promise<CustomRoleView[]> {
    const rows = await listCustomRoles(trx, accountId)
    return rows.map((r) => ({
      name: r.name,
      baseRole: r.base_role,
      defaultInviteRole: r.default_invite_role === 1,
    }))
  }

  return {
    list: (actor: Actor) => list(actor.accountId),

    async create(
      ctx: RequestContext,
      input: { roleName?: unknown; baseRole?: unknown; defaultInviteRole?: unknown },
    ) {
      const name = validateRoleName(input.roleName)
      const baseRole = parseBaseRole(input.baseRole)
      if (!baseRole) throw customRoleError('INVALID_BASE_ROLE')
      const makeDefault = input.defaultInviteRole === true
      const { actor } = ctx
      return inAccountTransaction(deps, actor.accountId, async (trx) => {
        await assertActorMay(trx, actor, 'roles:manage')
        if (await findCustomRole(trx, actor.accountId, name)) throw customRoleError('ROLE_EXISTS')
        const now = deps.clock()
        if (makeDefault) await clearDefaultInviteRole(trx, actor.accountId)
        await insertCustomRole(trx, {
          accountId: actor.accountId,
          name,
          baseRole,
          defaultInviteRole: makeDefault,
          now,
        })
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'custom_role.create',
          target: name,
          details: { baseRole, defaultInviteRole: makeDefault },
          now,
        })
        return list(actor.accountId, trx)
      })
    },

    /**
     * Akto's updateCustomRole: a new base role and default-invite flag. Roles are resolved on every
     * request, so members holding the role act with the new base role from their next request.
     */
    async update(
      ctx: RequestContext,
      input: { roleName?: unknown; baseRole?: unknown; defaultInviteRole?: unknown },
    ) {
      // The spec (§8) gives updateCustomRole two refusals: a name that is no custom role of the
      // account, however it is malformed, is the first ("Role does not exist.").
      const name = typeof input.roleName === 'string' ? input.roleName.trim().toUpperCase() : ''
      const baseRole = parseBaseRole(input.baseRole)
      const { actor } = ctx
      return inAccountTransaction(deps, actor.accountId, async (trx) => {
        await assertActorMay(trx, actor, 'roles:manage')
        const role = name === '' ? undefined : await findCustomRole(trx, actor.accountId, name)
        if (!role) throw customRoleError('ROLE_NOT_FOUND')
        if (!baseRole) throw customRoleError('INVALID_BASE_ROLE')
        const makeDefault =
          typeof input.defaultInviteRole === 'boolean'
            ? input.defaultInviteRole
            : role.default_invite_role === 1
        // The same rule as removing or demoting a member: every holder of the role is demoted at
        // once, and the account must keep an ADMIN.
        if (role.base_role === 'ADMIN' && baseRole !== 'ADMIN') {
          const holders = await countMembersWithRole(trx, actor.accountId, name, { activeOnly: true })
          await assertAdminsRemain(trx, actor.accountId, holders)
        }
        if (makeDefault) await clearDefaultInviteRole(trx, actor.accountId)
        await updateCustomRole(trx, {
          accountId: actor.accountId,
          name,
          baseRole,
          defaultInviteRole: makeDefault,
        })
        await audit(trx, ctx, {
          accountId: actor.accountId,
          action: 'custom_role.update',
          target: name,
          details: { baseRole, previousBaseRole: role.base_role, defaultInviteRole: makeDefault },
          now: deps.clock(),
        })
        return list(actor.accountId, trx)
      })
    },

    /** A member with roles:manage, or the account's identity provider (SCIM's DELETE /Groups). */
    async remove(ctx: RequestContext | SystemContext, input: { roleName?: unknown }) {
      const name = typeof input.roleName === 'string' ? input.roleName.trim().toUpperCase() : ''
      if (name === '') throw customRoleError('ROLE_NAME_EMPTY')
      const accountId = 'actor' in ctx ? ctx.actor.accountId : ctx.accountId
      return inAccountTransaction(deps, accountId, async (trx) => {
        if ('actor' in ctx) await assertActorMay(trx, ctx.actor, 'roles:manage')
        if (!(await findCustomRole(trx, accountId, name))) throw customRoleError('ROLE_NOT_FOUND')
        if ((await countMembersWithRole(trx, accountId, name)) > 0)
          throw customRoleError('ROLE_USED_BY_USERS')
        if ((await countInvitationsWithRole(trx, accountId, name)) > 0)
          throw customRoleError('ROLE_USED_BY_INVITES')
        await deleteCustomRole(trx, accountId, name)
        await audit(trx, ctx, { accountId, action: 'custom_role.delete', target: name, now: deps.clock() })
        return list(accountId, trx)
      })
    },
  }
}

export type CustomRoleService = ReturnType<typeof customRoleService>
