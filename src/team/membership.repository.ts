import { sql, type Kysely } from 'kysely'
import { jsonArrayText } from '../db/engine.ts'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'
import { touchRoles } from '../roles/role-version.repository.ts'
import { deleteSearchTerms, indexNewMembers } from './member-search.repository.ts'

type Db = Kysely<Database>

/** A member's role resolves to its built-in base through the account's custom roles. */
const baseRole = sql<string>`coalesce(custom_roles.base_role, memberships.role)`

function members(db: Db, accountId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .where('memberships.account_id', '=', accountId)
    .select([
      'users.id as userId',
      'users.email as email',
      'users.name as name',
      'memberships.role as role',
      baseRole.as('baseRole'),
      'memberships.suspended_at as suspendedAt',
      'memberships.version as version',
    ])
}

// The hot reads are prepared once. Ordering by memberships.user_id (the same value as users.id)
// lets the database walk the (account_id, user_id) key in order instead of sorting.
const allMembers = prepared((db, p: { accountId: number }) =>
  members(db, p.accountId).orderBy('memberships.user_id'),
)
const memberByEmail = prepared((db, p: { accountId: number; email: string }) =>
  members(db, p.accountId).where('users.email', '=', p.email),
)
const memberById = prepared((db, p: { accountId: number; userId: number }) =>
  members(db, p.accountId).where('memberships.user_id', '=', p.userId),
)

// getTeamData's member items ({id, login, name, role}), as JSON text built by the database.
const allMembersJson = prepared((db, p: { accountId: number }) =>
  db.selectNoFrom(
    jsonArrayText(
      db,
      db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .where('memberships.account_id', '=', p.accountId)
        .where('memberships.suspended_at', 'is', null)
        .select(['users.id as id', 'users.email as login', 'users.name as name', 'memberships.role as role'])
        .orderBy('memberships.user_id'),
      'id',
    ).as('json'),
  ),
)

export async function listMembersJson(db: Db, accountId: number): Promise<string> {
  return (await allMembersJson.first(db, { accountId }))?.json ?? '[]'
}

export function listMembers(db: Db, accountId: number) {
  return allMembers.all(db, { accountId })
}

export function findMemberByEmail(db: Db, accountId: number, email: string) {
  return memberByEmail.first(db, { accountId, email })
}

export function findMemberById(db: Db, accountId: number, userId: number) {
  return memberById.first(db, { accountId, userId })
}

export async function countAdmins(db: Db, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .where('memberships.account_id', '=', accountId)
    .where(baseRole, '=', 'ADMIN')
    // A suspended ADMIN has no access: they do not keep the account administered.
    .where('memberships.suspended_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface MemberProfile {
  externalId: string | null
  givenName: string | null
  familyName: string | null
  displayName: string | null
}

export async function insertMembership(
  db: Db,
  m: {
    accountId: number
    userId: number
    role: string
    now: number
    suspended?: boolean
    profile?: MemberProfile
  },
) {
  await db
    .insertInto('memberships')
    .values((eb) => ({
      account_id: m.accountId,
      user_id: m.userId,
      role: m.role,
      created_at: m.now,
      login: eb.selectFrom('users').select('email').where('id', '=', m.userId),
      updated_at: m.now,
      suspended_at: m.suspended ? m.now : null,
      external_id: m.profile?.externalId ?? null,
      given_name: m.profile?.givenName ?? null,
      family_name: m.profile?.familyName ?? null,
      display_name: m.profile?.displayName ?? null,
    }))
    .execute()
  await touchRoles(db, m.accountId, [m.role], m.now)
  await indexNewMembers(db, m.accountId, [m.userId])
}

/** Every change to a member raises its version (the SCIM ETag) and its modification time. */
function touched(now: number) {
  return { updated_at: now, version: sql<number>`version + 1` }
}

/** Suspends (a time) or restores (null) a member; false when already in that state. */
export async function setMembershipSuspended(
  db: Db,
  accountId: number,
  userId: number,
  at: number | null,
  now: number,
) {
  const result = await db
    .updateTable('memberships')
    .set({ suspended_at: at, ...touched(now) })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .where('suspended_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function updateMembershipProfile(
  db: Db,
  accountId: number,
  userId: number,
  profile: MemberProfile,
  now: number,
) {
  await db
    .updateTable('memberships')
    .set({
      external_id: profile.externalId,
      given_name: profile.givenName,
      family_name: profile.familyName,
      display_name: profile.displayName,
      ...touched(now),
    })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute()
}

export async function deleteMembership(
  db: Db,
  accountId: number,
  userId: number,
  now: number,
): Promise<boolean> {
  await deleteSearchTerms(db, accountId, userId)
  const deleted = await db
    .deleteFrom('memberships')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .returning('role')
    .executeTakeFirst()
  if (deleted) await touchRoles(db, accountId, [deleted.role], now)
  return deleted !== undefined
}

/** Moves a member from the role `from` (as the caller read it in its transaction) to `to`. */
export async function updateMembershipRole(
  db: Db,
  accountId: number,
  userId: number,
  role: { from: string; to: string },
  now: number,
) {
  await db
    .updateTable('memberships')
    .set({ role: role.to, ...touched(now) })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute()
  await touchRoles(db, accountId, [role.from, role.to], now)
}

/** Members holding `role`; with `activeOnly`, not counting suspended ones (who have no access). */
export async function countMembersWithRole(
  db: Db,
  accountId: number,
  role: string,
  { activeOnly = false } = {},
): Promise<number> {
  let query = db.selectFrom('memberships').where('account_id', '=', accountId).where('role', '=', role)
  if (activeOnly) query = query.where('suspended_at', 'is', null)
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The accounts a user belongs to, with their role in each. */
export function accountsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .where('memberships.user_id', '=', userId)
    .where('memberships.suspended_at', 'is', null)
    .select(['accounts.id as accountId', 'accounts.name as name', 'memberships.role as role'])
    .orderBy('accounts.id')
    .execute()
}

/** Many memberships in one statement (bulk import); the caller has checked none exists yet. */
export async function insertMemberships(
  db: Db,
  rows: readonly { accountId: number; userId: number; login: string; role: string }[],
  now: number,
) {
  if (rows.length === 0) return
  await db
    .insertInto('memberships')
    .values(
      rows.map((m) => ({
        account_id: m.accountId,
        user_id: m.userId,
        login: m.login,
        role: m.role,
        created_at: now,
      })),
    )
    .execute()
  for (const accountId of new Set(rows.map((m) => m.accountId))) {
    const added = rows.filter((m) => m.accountId === accountId)
    await touchRoles(
      db,
      accountId,
      added.map((m) => m.role),
      now,
    )
    await indexNewMembers(
      db,
      accountId,
      added.map((m) => m.userId),
    )
  }
}

/** Which of these logins are already members of the account. */
export async function existingLogins(
  db: Db,
  accountId: number,
  logins: readonly string[],
): Promise<Set<string>> {
  if (logins.length === 0) return new Set()
  const rows = await db
    .selectFrom('memberships')
    .select('login')
    .where('account_id', '=', accountId)
    .where('login', 'in', logins)
    .execute()
  return new Set(rows.map((r) => r.login))
}

export async function findProfile(
  db: Db,
  accountId: number,
  userId: number,
): Promise<MemberProfile | undefined> {
  const row = await db
    .selectFrom('memberships')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .select([
      'external_id as externalId',
      'given_name as givenName',
      'family_name as familyName',
      'display_name as displayName',
    ])
    .executeTakeFirst()
  return row
}
