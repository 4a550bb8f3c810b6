/**
 * SCIM's use cases: reads through SCIM's repository, every change through the provisioning use
 * cases (team/provisioning.service.ts) so the team's rules, audit and access cleanup apply.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { CustomRoleService } from '../roles/custom-role.service.ts'
import type { SystemContext } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import type { ProvisioningService } from '../team/provisioning.service.ts'
import { MAX_RESULTS } from './scim-discovery.ts'
import type { ScimFilter } from './scim-filter.ts'
import { applyUserPatch, type PatchOp, type UserState } from './scim-patch.ts'
import { listGroupRows, type GroupRow } from './scim-group.repository.ts'
import { findScimUser, listScimUsers, membersWithRole, type ScimUserRow } from './scim-user.repository.ts'
import type { UserInput } from './scim-user.resource.ts'
import { scimError } from './scim.errors.ts'
import { isRowId } from '../shared/row-id.ts'

/** A group PATCH's way to change members, and its transaction to read in. */
interface GroupChange {
  change: Parameters<Parameters<ProvisioningService['updateTogether']>[1]>[0]
  trx: Kysely<Database>
}

export interface GroupFilter {
  attr: 'id' | 'displayName'
  value: string
}

export interface Page {
  startIndex: number
  count: number
}

/** startIndex/count as RFC 7644 §3.4.2.4 reads them: 1-based, count capped at maxResults. */
export function pageOf(query: { startIndex?: unknown; count?: unknown }): Page {
  // Any integer (a longer one is past every page, or above the cap), held within safe integers.
  const int = (v: unknown, fallback: number, name: string) => {
    if (v === undefined || v === '') return fallback
    if (typeof v !== 'string' || !/^-?\d+$/.test(v))
      throw scimError(400, 'invalidValue', `'${name}' must be an integer.`)
    return Math.min(Number.MAX_SAFE_INTEGER, Math.max(-Number.MAX_SAFE_INTEGER, Number(v)))
  }
  const startIndex = Math.max(1, int(query.startIndex, 1, 'startIndex'))
  const count = Math.min(MAX_RESULTS, Math.max(0, int(query.count, 100, 'count')))
  return { startIndex, count }
}

const parseId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : NaN)

function stateOf(row: ScimUserRow): UserState {
  return {
    userName: row.email,
    active: row.suspendedAt === null,
    role: row.role,
    externalId: row.externalId,
    givenName: row.givenName,
    familyName: row.familyName,
    displayName: row.displayName,
  }
}

export function scimService(deps: Deps, provisioning: ProvisioningService, customRoles: CustomRoleService) {
  const { db } = deps.database

  async function user(ctx: SystemContext, id: string): Promise<ScimUserRow> {
    const userId = parseId(id)
    const row = isRowId(userId) ? await findScimUser(db, ctx.accountId, userId) : undefined
    if (!row)
      throw scimError(404, undefined, id === '' ? 'The path names no user id.' : `User ${id} not found.`)
    return row
  }

  const roles = (accountId: number) => listGroupRows(db, accountId)

  async function group(ctx: SystemContext, id: string) {
    const role = (await roles(ctx.accountId)).find((r) => r.name === id)
    if (!role)
      throw scimError(404, undefined, id === '' ? 'The path names no group id.' : `Group ${id} not found.`)
    return role
  }

  function checkVersion(role: GroupRow, ifVersion: number | undefined) {
    if (ifVersion !== undefined && role.version !== ifVersion)
      throw scimError(412, undefined, 'The group has changed since that version; read it again.')
  }

  const rolesInRoster = () =>
    scimError(403, undefined, "Groups are the account's roles; create, rename and delete roles in Roster.")

  /** Puts a member in the group (gives them its role) or takes them out of it, in a group PATCH's transaction. */
  async function setGroupOf(
    ctx: SystemContext,
    { change, trx }: GroupChange,
    groupName: string,
    memberId: unknown,
    into: boolean,
  ) {
    const id = typeof memberId === 'string' ? memberId : typeof memberId === 'number' ? String(memberId) : ''
    const userId = parseId(id)
    const row = isRowId(userId) ? await findScimUser(trx, ctx.accountId, userId) : undefined
    if (!row) throw scimError(400, 'invalidValue', `Member '${id}' is not a user of this account.`)
    // Leaving the group of one's current role: back to the default role. Other groups: nothing to do.
    await change(userId, (member) =>
      into ? { role: groupName } : member.role === groupName ? { role: null } : undefined,
    )
  }

  return {
    listUsers: async (ctx: SystemContext, filter: ScimFilter | null, page: Page) =>
      listScimUsers(db, ctx.accountId, filter, page.startIndex - 1, page.count),

    user,

    async createUser(ctx: SystemContext, input: UserInput) {
      const { userId } = await provisioning.add(ctx, {
        email: input.userName,
        role: input.role,
        active: input.active,
        profile: input.profile,
      })
      return user(ctx, String(userId))
    },

    async replaceUser(ctx: SystemContext, id: string, input: UserInput, ifVersion?: number) {
      const row = await user(ctx, id)
      if (input.userName.toLowerCase() !== row.email) {
        throw scimError(
          400,
          'mutability',
          "'userName' (the member's email) cannot change; remove the user and create them again.",
        )
      }
      await provisioning.update(
        ctx,
        row.id,
        { role: input.role, active: input.active, profile: input.profile },
        ifVersion,
      )
      return user(ctx, id)
    },

    async patchUser(ctx: SystemContext, id: string, ops: readonly PatchOp[], ifVersion?: number) {
      const row = await user(ctx, id)
      const next = applyUserPatch(stateOf(row), ops)
      const { externalId, givenName, familyName, displayName } = next
      await provisioning.update(
        ctx,
        row.id,
        {
          role: next.role === row.role ? undefined : next.role,
          active: next.active,
          profile: { externalId, givenName, familyName, displayName },
        },
        ifVersion ?? Number(row.version),
      )
      return user(ctx, id)
    },

    async deleteUser(ctx: SystemContext, id: string, ifVersion?: number) {
      const row = await user(ctx, id)
      await provisioning.remove(ctx, row.id, ifVersion)
    },

    /** `displayName eq` ignores case (its schema says caseExact: false); `id eq` does not. */
    async listGroups(ctx: SystemContext, filter: GroupFilter | undefined, page: Page) {
      const matches = (name: string) =>
        !filter ||
        (filter.attr === 'displayName'
          ? name.toLowerCase() === filter.value.toLowerCase()
          : name === filter.value)
      const all = (await roles(ctx.accountId)).filter((r) => matches(r.name))
      return { rows: all.slice(page.startIndex - 1, page.startIndex - 1 + page.count), total: all.length }
    },

    group,
    rolesInRoster,

    /** POST /Groups links to an existing custom role of that name; it never creates a role. */
    async linkGroup(ctx: SystemContext, displayName: string) {
      const wanted = displayName.toLowerCase()
      const role = (await roles(ctx.accountId)).find((r) => !r.builtIn && r.name.toLowerCase() === wanted)
      if (!role) throw rolesInRoster()
      return role
    },

    /** DELETE /Groups/{id} deletes a custom role by Roster's own rules (unused, audited); built-in roles stay. */
    async deleteGroup(ctx: SystemContext, id: string, ifVersion?: number) {
      const role = await group(ctx, id)
      checkVersion(role, ifVersion)
      if (role.builtIn) throw rolesInRoster()
      await customRoles.remove(ctx, { roleName: role.name })
    },

    groupMembers: (ctx: SystemContext, name: string) => membersWithRole(db, ctx.accountId, name),

    /**
     * add/remove/replace of `members`; anything else about a role is managed in Roster. If-Match
     * is checked against the version read here, before the first operation.
     */
    async patchGroup(ctx: SystemContext, id: string, ops: readonly PatchOp[], ifVersion?: number) {
      const role = await group(ctx, id)
      checkVersion(role, ifVersion)
      // One transaction: an operation that fails undoes those before it (RFC 7644 §3.5.2).
      await provisioning.updateTogether(ctx, async (change, trx) => {
        const to = { change, trx }
        for (const { op, path, value } of ops) {
          const p = path?.trim()
          const filtered = p?.match(/^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i)
          if (filtered) {
            if (op !== 'remove') throw scimError(400, 'invalidPath', `'${p}' can only be removed.`)
            await setGroupOf(ctx, to, role.name, filtered[1], false)
            continue
          }
          if (p === undefined) {
            // Entra's path-less replace: {id, displayName} of the same group changes nothing; members are set.
            const v =
              value && typeof value === 'object' && !Array.isArray(value)
                ? (value as Record<string, unknown>)
                : {}
            if (typeof v.displayName === 'string' && v.displayName !== role.name)
              throw scimError(403, undefined, 'Group names are role names; roles are managed in Roster.')
            if (v.members !== undefined) await setMembers(ctx, to, role.name, op, v.members)
            continue
          }
          if (p.toLowerCase() === 'members') {
            await setMembers(ctx, to, role.name, op, value)
            continue
          }
          if (p.toLowerCase() === 'displayname') {
            if (value !== role.name)
              throw scimError(403, undefined, 'Group names are role names; roles are managed in Roster.')
            continue
          }
          throw scimError(400, 'invalidPath', `The path '${p}' names no attribute of a Group.`)
        }
      })
      return role
    },
  }

  async function setMembers(
    ctx: SystemContext,
    to: GroupChange,
    name: string,
    op: PatchOp['op'],
    value: unknown,
  ) {
    const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]
    const ids = list.map((m) =>
      m && typeof m === 'object' ? (m as Record<string, unknown>).value : undefined,
    )
    if (op === 'remove' && value === undefined) {
      // remove `members` with no value: every member leaves the group.
      for (const m of await membersWithRole(to.trx, ctx.accountId, name))
        await setGroupOf(ctx, to, name, String(m.id), false)
      return
    }
    if (op === 'replace') {
      const keep = new Set(ids.map(String))
      for (const m of await membersWithRole(to.trx, ctx.accountId, name))
        if (!keep.has(String(m.id))) await setGroupOf(ctx, to, name, String(m.id), false)
    }
    for (const id of ids) await setGroupOf(ctx, to, name, id, op !== 'remove')
  }
}

export type ScimService = ReturnType<typeof scimService>
