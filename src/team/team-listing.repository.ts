/**
 * listTeam's reads: one page of members or pending invitations in login order, walked from the
 * (account_id, login) index after the cursor's login (a seek, never an OFFSET), and the totals.
 * A member search first seeks its hits in member_search_terms (see search-terms.ts).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import { escapeLike, startsAWord, unicodeLower } from '../db/engine.ts'
import type { Database } from '../db/schema.ts'
import { searchHits } from './member-search.repository.ts'
import { WORD_SEPARATORS } from './search-terms.ts'

type Db = Kysely<Database>

export interface PageQuery {
  accountId: number
  /** Only rows whose login sorts after this one. */
  after?: string | undefined
  /** Lower-cased search text: a prefix of the login, of the name, or of any word of the name (search-terms.ts). */
  search?: string | undefined
  role?: string | undefined
  limit: number
}

/** `login like 'q%'`, or lower(name) starts with q or has it after a word separator (search-terms.ts). */
function matches(db: Db, login: RawBuilder<unknown>, name: RawBuilder<unknown>, search: string) {
  const prefix = `${escapeLike(search)}%`
  const named = startsAWord(db, unicodeLower(db, name), search, WORD_SEPARATORS)
  return sql<boolean>`(${login} like ${prefix} escape '\\' or ${named})`
}

/**
 * A search seeks its hits in member_search_terms (search-terms.ts), then either:
 * - sparse (at most SEEK_HITS terms in range): joins the hits to their memberships and sorts them
 *   by login, about 2 µs a hit whatever the team's size;
 * - dense: walks the login order with the rule, as an unsearched page does, for at most
 *   WALK_ROWS rows (dense hits usually fill a page well within them). Only when they do not (the
 *   hits cluster later in the login order, as `john` does among john.*@ logins) are all the hits
 *   sorted, which then costs the window plus about 2 µs a hit, still never a walk of the team.
 * Sorting 1,000 hits costs about a walk of 2,000 rows with the rule (SQLite lowers names with a
 * JavaScript function), hence the two bounds.
 */
const SEEK_HITS = 1000
const WALK_ROWS = 2000

type Hits = NonNullable<Awaited<ReturnType<typeof searchHits>>>['query']

/**
 * The memberships a page is read from: the account's, walked in login order, or a search's hits,
 * which then drive the join. SQLite keeps the left side of a CROSS JOIN as the outer loop (it
 * would otherwise walk the login order and probe the hits, a scan); PostgreSQL plans it like any
 * join. The cast hides the `hits` table from the caller, which needs only memberships.
 */
function memberships(db: Db, hits: Hits | undefined) {
  const all = db.selectFrom('memberships')
  if (!hits) return all
  return db
    .selectFrom(hits.as('hits'))
    .crossJoin('memberships')
    .whereRef('memberships.user_id', '=', 'hits.user_id') as unknown as typeof all
}

function page(db: Db, q: PageQuery, from: { hits?: Hits; upTo?: string } = {}) {
  let query = memberships(db, from.hits)
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
  if (from.upTo !== undefined) query = query.where('memberships.login', '<=', from.upTo)
  // The rule always decides (also on the hits: terms are cut at TERM_CHARS characters).
  if (q.search) query = query.where(matches(db, sql`memberships.login`, sql`users.name`, q.search))
  return query.orderBy('memberships.login').limit(q.limit).execute()
}

/** The login `rows` rows after the cursor (in the role), or undefined when fewer remain: an index-only walk. */
async function loginAhead(db: Db, q: PageQuery, rows: number) {
  let query = db.selectFrom('memberships').select('login').where('account_id', '=', q.accountId)
  if (q.role !== undefined) query = query.where('role', '=', q.role)
  if (q.after !== undefined) query = query.where('login', '>', q.after)
  const row = await query
    .orderBy('login')
    .limit(1)
    .offset(rows - 1)
    .executeTakeFirst()
  return row?.login
}

export async function membersPage(db: Db, q: PageQuery) {
  if (!q.search) return page(db, q)
  const hits = await searchHits(db, q.accountId, q.search, SEEK_HITS)
  // No bound for the range: a search of nothing but U+10FFFF, walked with the rule.
  if (!hits) return page(db, q)
  if (hits.sparse) return page(db, q, { hits: hits.query })
  const upTo = await loginAhead(db, q, WALK_ROWS)
  const walked = await page(db, q, { upTo })
  if (walked.length === q.limit || upTo === undefined) return walked
  return page(db, q, { hits: hits.query })
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

/** Searched with the rule over the account's pending invitations, which stay few (they expire). */
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
