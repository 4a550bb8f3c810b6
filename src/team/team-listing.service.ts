/**
 * listTeam (large teams): one keyset page of members or pending invitations, with a total that
 * is counted once per team version (see team-list-cache.ts for why the version is exact) instead
 * of on every request.
 */
import type { Actor } from '../shared/actor.ts'
import type { Deps } from '../shared/deps.ts'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'
import { openCursor, signCursor, type CursorScope } from './team-cursor.ts'
import {
  countMembers,
  countPendingInvitations,
  invitationsPage,
  membersPage,
} from './team-listing.repository.ts'

export interface ListTeamInput {
  kind?: 'members' | 'invitations'
  search?: string
  role?: string
  cursor?: string
  limit?: number
}

export interface MemberListItem {
  id: number
  login: string
  name: string
  role: string
  baseRole: string
  status: 'active' | 'suspended'
  joinedAt: string
  lastSeenAt: string | null
}

export interface InvitationListItem {
  login: string
  role: string
  invitedBy: string | null
  createdAt: string
  expiresAt: string
  emailStatus: string | null
}

export interface TeamPage<T> {
  items: T[]
  nextCursor: string | null
  total: number
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())

/** Totals per account and kind, valid while the team version is unchanged (and, for invitations, until one expires). */
function totalsCache(max = 10_000) {
  const entries = new Map<string, { version: number; total: number; validUntil: number }>()
  return {
    get(key: string, version: number, now: number) {
      const e = entries.get(key)
      return e && e.version === version && now < e.validUntil ? e.total : undefined
    },
    set(key: string, entry: { version: number; total: number; validUntil: number }) {
      const old = entries.get(key)
      if (old && old.version > entry.version) return
      entries.delete(key)
      if (entries.size >= max) entries.delete(entries.keys().next().value as string)
      entries.set(key, entry)
    },
  }
}

export function teamListingService(deps: Deps, keys: SigningKeys) {
  const { db } = deps.database
  const totals = totalsCache()

  async function total(actor: Actor, kind: CursorScope['kind'], now: number): Promise<number> {
    const key = `${actor.accountId}:${kind}`
    // The version was read with the credential, before counting: never optimistic.
    const version = actor.teamVersion
    const cached = totals.get(key, version, now)
    if (cached !== undefined) return cached
    if (kind === 'members') {
      const n = await countMembers(db, actor.accountId)
      totals.set(key, { version, total: n, validUntil: Number.POSITIVE_INFINITY })
      return n
    }
    const { total: n, firstExpiry } = await countPendingInvitations(db, actor.accountId, now)
    totals.set(key, { version, total: n, validUntil: firstExpiry })
    return n
  }

  async function list(
    actor: Actor,
    input: ListTeamInput,
  ): Promise<TeamPage<MemberListItem> | TeamPage<InvitationListItem>> {
    const scope: CursorScope = {
      accountId: actor.accountId,
      kind: input.kind ?? 'members',
      search: (input.search ?? '').trim().toLowerCase(),
      role: (input.role ?? '').trim().toUpperCase(),
    }
    const limit = input.limit ?? 50
    const after = input.cursor ? await openCursor(keys, scope, input.cursor) : undefined
    const now = deps.clock()
    // One row more than asked says whether there is a next page.
    const query = {
      accountId: actor.accountId,
      after,
      search: scope.search || undefined,
      role: scope.role || undefined,
      limit: limit + 1,
    }
    const next = <T extends { login: string }>(rows: T[]) =>
      rows.length > limit ? signCursor(keys, scope, rows[limit - 1]!.login) : null
    if (scope.kind === 'members') {
      const rows = await membersPage(db, query)
      return {
        items: rows.slice(0, limit).map((r) => ({
          id: r.id,
          login: r.login,
          name: r.name,
          role: r.role,
          baseRole: r.baseRole,
          // Suspended by the identity provider (SCIM active=false): still a member, without access.
          status: r.suspendedAt === null ? ('active' as const) : ('suspended' as const),
          joinedAt: iso(r.joinedAt)!,
          lastSeenAt: iso(r.lastSeenAt as number | null),
        })),
        nextCursor: next(rows),
        total: await total(actor, 'members', now),
      }
    }
    const rows = await invitationsPage(db, { ...query, now })
    return {
      items: rows.slice(0, limit).map((r) => ({
        login: r.login,
        role: r.role,
        invitedBy: r.invitedBy,
        createdAt: iso(r.createdAt)!,
        expiresAt: iso(r.expiresAt)!,
        emailStatus: r.emailStatus,
      })),
      nextCursor: next(rows),
      total: await total(actor, 'invitations', now),
    }
  }

  return { list }
}

export type TeamListingService = ReturnType<typeof teamListingService>
