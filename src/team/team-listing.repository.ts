/**
 * listTeam's reads: one page of members or pending invitations in login order, walked from the
 * (account_id, login) index after the cursor's login (a seek, never an OFFSET), and the totals.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import { escapeLike, unicodeLower } from '../db/engine.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export interface PageQuery {
  accountId: number
  /** Only rows whose login sorts after this one. */
  after?: string | undefined
  /** Lower-cased search text: a prefix of the login, of the name, or of any word of the name. */
  search?: string | undefined
  role?: string | undefined
  limit: number
}

/** `login like 'q%' or lower(name) like 'q%' or lower(name) like '% q%'`, wildcards escaped. */
function matches(db: Db, login: RawBuilder<unknown>, name: RawBuilder<unknown>, search: string) {
  const prefix = `${escapeLike(search)}%`
  const word = `% ${prefix}`
  const lowered = unicodeLower(db, name)
  return sql<boolean>`(${login} like ${prefix} escape '\\' or ${lowered} like ${prefix} escape '\\' or ${lowered} like ${word} escape '\\')`
}

export function membersPage(db: Db, q: PageQuery) {
  let query = db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('custom_roles', (join) =>
      join
        .onRef('custom_roles.account_id', '=', 'memberships.account_id')
        .onRef('custom_roles.name', '=', 'memberships.role'),
    )
    .where('memberships.account_id', '=', q.accountId)
    .select((eb) => [
      'memberships.user_id as id',
      'memberships.login as login',
      'users.name as name',
      'memberships.role as role',
      sql<string>`coalesce(custom_roles.base_role, memberships.role)`.as('baseRole'),
      'memberships.created_at as joinedAt',
      'memberships.suspended_at as suspendedAt',
      eb
        .selectFrom('sessions')
        .select((s) => s.fn.max('sessions.last_seen_at').as('seen'))
        .whereRef('sessions.user_id', '=', 'memberships.user_id')
        .whereRef('sessions.account_id', '=', 'memberships.account_id')
        .as('lastSeenAt'),
    ])
  if (q.role !== undefined) query = query.where('memberships.role', '=', q.role)
  if (q.after !== undefined) query = query.where('memberships.login', '>', q.after)
  if (q.search) query = query.where(matches(db, sql`memberships.login`, sql`users.name`, q.search))
  return query.orderBy('memberships.login').limit(q.limit).execute()
}

/** Pending, unexpired invitations of emails that are not members yet. */
function pending(db: Db, accountId: number, now: number) {
  return db
    .selectFrom('invitations')
    .where('invitations.account_id', '=', accountId)
    .where('invitations.expires_at', '>', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('memberships')
            .select('memberships.user_id')
            .whereRef('memberships.account_id', '=', 'invitations.account_id')
            .whereRef('memberships.login', '=', 'invitations.email'),
        ),
      ),
    )
}

export function invitationsPage(db: Db, q: PageQuery & { now: number }) {
  let query = pending(db, q.accountId, q.now)
    .leftJoin('users', 'users.id', 'invitations.inviter_id')
    .leftJoin('mail_outbox', 'mail_outbox.token_id', 'invitations.token_id')
    .select([
      'invitations.email as login',
      'invitations.role as role',
      'users.email as invitedBy',
      'invitations.created_at as createdAt',
      'invitations.expires_at as expiresAt',
      'mail_outbox.status as emailStatus',
    ])
  if (q.role !== undefined) query = query.where('invitations.role', '=', q.role)
  if (q.after !== undefined) query = query.where('invitations.email', '>', q.after)
  if (q.search)
    query = query.where(matches(db, sql`invitations.email`, sql`coalesce(invitations.name, '')`, q.search))
  return query.orderBy('invitations.email').limit(q.limit).execute()
}

export async function countMembers(db: Db, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .where('account_id', '=', accountId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The pending invitations' count, and the first expiry (when the count next changes by itself). */
export async function countPendingInvitations(db: Db, accountId: number, now: number) {
  const row = await pending(db, accountId, now)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('invitations.expires_at').as('firstExpiry')])
    .executeTakeFirstOrThrow()
  return {
    total: Number(row.n),
    firstExpiry: row.firstExpiry === null ? Number.POSITIVE_INFINITY : Number(row.firstExpiry),
  }
}
