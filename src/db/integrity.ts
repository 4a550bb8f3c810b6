/**
 * `roster db check`: the engine's own integrity check (SQLite) plus Roster's invariants, each a
 * query that returns the rows breaking it. The application keeps these true in its transactions;
 * a finding means the data was changed behind its back (by hand, a bad restore, a bug).
 */
import { sql, type Kysely } from 'kysely'
import { isDamagedSqliteFile, type DatabaseHandle } from './engine.ts'
import type { Database } from './schema.ts'
import { membersWithStaleTerms, termsWithoutMembership } from '../team/member-search.repository.ts'

export interface Finding {
  check: string
  detail: string
}

async function engineIntegrity(database: DatabaseHandle): Promise<Finding[]> {
  if (database.engine.kind !== 'sqlite') return []
  const findings: Finding[] = []
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.db)
  for (const row of integrity.rows) {
    if (row.integrity_check !== 'ok')
      findings.push({ check: 'sqlite_integrity', detail: row.integrity_check })
  }
  const keys = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(
    database.db,
  )
  for (const row of keys.rows) {
    findings.push({
      check: 'foreign_key',
      detail: `${row.table} row ${row.rowid} points to a missing ${row.parent} row`,
    })
  }
  return findings
}

/** Accounts in which no member holds ADMIN, directly or through a custom role based on it. */
async function accountsWithoutAdmin(db: Kysely<Database>): Promise<Finding[]> {
  const rows = await db
    .selectFrom('accounts')
    .select(['accounts.id', 'accounts.name'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('memberships')
            .innerJoin('users', 'users.id', 'memberships.user_id')
            .leftJoin('custom_roles', (join) =>
              join
                .onRef('custom_roles.account_id', '=', 'memberships.account_id')
                .onRef('custom_roles.name', '=', 'memberships.role'),
            )
            .select(sql`1`.as('one'))
            .whereRef('memberships.account_id', '=', 'accounts.id')
            .where((eb) =>
              eb.or([eb('memberships.role', '=', 'ADMIN'), eb('custom_roles.base_role', '=', 'ADMIN')]),
            ),
        ),
      ),
    )
    .orderBy('accounts.id')
    .execute()
  return rows.map((r) => ({
    check: 'account_without_admin',
    detail: `account ${r.id} (${r.name}) has no ADMIN`,
  }))
}

async function membershipsOfMissingUsers(db: Kysely<Database>): Promise<Finding[]> {
  const rows = await db
    .selectFrom('memberships')
    .leftJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.account_id as accountId', 'memberships.user_id as userId'])
    .where('users.id', 'is', null)
    .execute()
  return rows.map((r) => ({
    check: 'membership_without_user',
    detail: `account ${r.accountId} lists user ${r.userId}, who does not exist`,
  }))
}

async function invitationsOfMembers(db: Kysely<Database>): Promise<Finding[]> {
  const rows = await db
    .selectFrom('invitations')
    .innerJoin('users', 'users.email', 'invitations.email')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.user_id', '=', 'users.id')
        .onRef('memberships.account_id', '=', 'invitations.account_id'),
    )
    .select(['invitations.id', 'invitations.account_id as accountId'])
    .execute()
  return rows.map((r) => ({
    check: 'invitation_for_member',
    detail: `invitation ${r.id} in account ${r.accountId} is for someone already a member`,
  }))
}

/** Members whom listTeam's search would miss or find by an old name (see src/team/search-terms.ts). */
async function staleSearchTerms(db: Kysely<Database>): Promise<Finding[]> {
  const stale = (await membersWithStaleTerms(db)).map((m) => ({
    check: 'member_search_terms',
    detail: `account ${m.accountId}: the search terms of user ${m.userId} do not match their login and name`,
  }))
  const orphans = (await termsWithoutMembership(db)).map((m) => ({
    check: 'member_search_terms',
    detail: `account ${m.accountId}: search terms of user ${m.userId}, who is not a member`,
  }))
  return [...stale, ...orphans]
}

/**
 * The finding for a file SQLite cannot read (damaged pages, or not a database at all): it stops
 * the check wherever it shows, opening the file included, so the caller turns it into a finding.
 */
export function damageFinding(error: unknown): Finding | undefined {
  if (!isDamagedSqliteFile(error)) return undefined
  return { check: 'sqlite_integrity', detail: error instanceof Error ? error.message : String(error) }
}

export async function checkDatabase(database: DatabaseHandle): Promise<Finding[]> {
  const damage = await engineIntegrity(database)
  // Queries over damaged pages fail or read garbage: the invariants mean nothing until it is repaired.
  if (damage.some((f) => f.check === 'sqlite_integrity')) return damage
  return [
    ...damage,
    ...(await accountsWithoutAdmin(database.db)),
    ...(await membershipsOfMissingUsers(database.db)),
    ...(await invitationsOfMembers(database.db)),
    ...(await staleSearchTerms(database.db)),
  ]
}
