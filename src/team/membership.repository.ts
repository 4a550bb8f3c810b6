import { sql, type Kysely } from 'kysely'
import { jsonArrayText } from '../db/engine.ts'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

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
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertMembership(
  db: Db,
  m: { accountId: number; userId: number; role: string; now: number },
) {
  await db
    .insertInto('memberships')
    .values((eb) => ({
      account_id: m.accountId,
      user_id: m.userId,
      role: m.role,
      created_at: m.now,
      login: eb.selectFrom('users').select('email').where('id', '=', m.userId),
    }))
    .execute()
}

export async function deleteMembership(db: Db, accountId: number, userId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function updateMembershipRole(db: Db, accountId: number, userId: number, role: string) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute()
}

export async function countMembersWithRole(db: Db, accountId: number, role: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .where('account_id', '=', accountId)
    .where('role', '=', role)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The accounts a user belongs to, with their role in each. */
export function accountsOfUser(db: Db, userId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .where('memberships.user_id', '=', userId)
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
