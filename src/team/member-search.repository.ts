/**
 * member_search_terms (see search-terms.ts): written and deleted by the repositories that add or
 * remove members or rename a user, in the caller's transaction; deleted with the account (cascade).
 */
import { sql, type Kysely } from 'kysely'
import { unicodeLower } from '../db/engine.ts'
import type { Database } from '../db/schema.ts'
import { searchTerms, termRange } from './search-terms.ts'

type Db = Kysely<Database>

/** Members read, and term rows written, per statement (far below both engines' parameter limits). */
const ROWS = 500

/** Memberships with what their terms are made of; the name lowered by the database, as the rule does. */
function members(db: Db) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.account_id as accountId',
      'memberships.user_id as userId',
      'memberships.login as login',
      unicodeLower(db, sql.ref('users.name')).as('lowered'),
    ])
}

async function writeTerms(
  db: Db,
  rows: { accountId: number; userId: number; login: string; lowered: string }[],
) {
  const terms = rows.flatMap((m) =>
    searchTerms(m.login, m.lowered).map((term) => ({ account_id: m.accountId, user_id: m.userId, term })),
  )
  for (let i = 0; i < terms.length; i += ROWS)
    await db
      .insertInto('member_search_terms')
      .values(terms.slice(i, i + ROWS))
      .execute()
}

/** Indexes members just added to an account (they have no terms yet). */
export async function indexNewMembers(db: Db, accountId: number, userIds: readonly number[]) {
  for (let i = 0; i < userIds.length; i += ROWS) {
    const part = userIds.slice(i, i + ROWS)
    await writeTerms(
      db,
      await members(db)
        .where('memberships.account_id', '=', accountId)
        .where('memberships.user_id', 'in', part)
        .execute(),
    )
  }
}

/** Before a membership is deleted. */
export async function deleteSearchTerms(db: Db, accountId: number, userId: number) {
  await db
    .deleteFrom('member_search_terms')
    .where('user_id', '=', userId)
    .where('account_id', '=', accountId)
    .execute()
}

/** After a user's name changed: their terms in every account they belong to, written anew. */
export async function reindexUser(db: Db, userId: number) {
  await db.deleteFrom('member_search_terms').where('user_id', '=', userId).execute()
  await writeTerms(db, await members(db).where('memberships.user_id', '=', userId).execute())
}

function termsInRange(db: Db, accountId: number, from: string, to: string) {
  return db
    .selectFrom('member_search_terms')
    .where('account_id', '=', accountId)
    .where('term', '>=', from)
    .where('term', '<', to)
}

/**
 * The members of the account a search finds (by their terms; the rule still has to confirm
 * them), as a subquery of distinct user_id, and whether they are sparse: at most `k` terms in
 * the range (counted by a walk of the key that stops at k + 1). Undefined when the range has no
 * upper bound.
 */
export async function searchHits(db: Db, accountId: number, search: string, k: number) {
  const { from, to } = termRange(search)
  if (to === undefined) return undefined
  const row = await db
    .selectFrom(
      termsInRange(db, accountId, from, to)
        .select(sql`1`.as('one'))
        .limit(k + 1)
        .as('hits'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return {
    query: termsInRange(db, accountId, from, to).select('user_id').distinct(),
    sparse: Number(row.n) <= k,
  }
}

/**
 * `roster db check`: members whose stored terms differ from the ones their login and name give
 * (a membership or a name written behind the application's back), read a page of members at a time.
 */
export async function membersWithStaleTerms(db: Db) {
  const stale: { accountId: number; userId: number }[] = []
  let after = { accountId: -1, userId: -1 }
  for (;;) {
    const page = await members(db)
      .where((eb) =>
        eb.or([
          eb('memberships.account_id', '>', after.accountId),
          eb.and([
            eb('memberships.account_id', '=', after.accountId),
            eb('memberships.user_id', '>', after.userId),
          ]),
        ]),
      )
      .orderBy('memberships.account_id')
      .orderBy('memberships.user_id')
      .limit(ROWS)
      .execute()
    if (page.length === 0) return stale
    for (const accountId of new Set(page.map((m) => m.accountId))) {
      const inAccount = page.filter((m) => m.accountId === accountId)
      const stored = await db
        .selectFrom('member_search_terms')
        .select(['user_id', 'term'])
        .where('account_id', '=', accountId)
        .where(
          'user_id',
          'in',
          inAccount.map((m) => m.userId),
        )
        .execute()
      const terms = new Map<number, string[]>()
      for (const s of stored) terms.set(s.user_id, [...(terms.get(s.user_id) ?? []), s.term])
      for (const m of inAccount) {
        const have = terms.get(m.userId) ?? []
        const want = searchTerms(m.login, m.lowered)
        if (have.length !== want.length || !want.every((term) => have.includes(term)))
          stale.push({ accountId: m.accountId, userId: m.userId })
      }
    }
    after = page[page.length - 1]!
  }
}

/** `roster db check`: terms left behind by a membership deleted behind the application's back. */
export function termsWithoutMembership(db: Db) {
  return db
    .selectFrom('member_search_terms as t')
    .select(['t.account_id as accountId', 't.user_id as userId'])
    .distinct()
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('memberships')
            .select('memberships.user_id')
            .whereRef('memberships.account_id', '=', 't.account_id')
            .whereRef('memberships.user_id', '=', 't.user_id'),
        ),
      ),
    )
    .execute()
}
