import { sql, type Kysely } from 'kysely'
import { engineOf } from '../engine.ts'

// Frozen: a word of a name now also starts after a hyphen, an apostrophe, a period or an opening
// parenthesis (and a no-break space), not only after a space, so that "Anna Smith-Jones" is found
// by "jones". The search terms of every existing member are rebuilt with a copy of the rule as it
// stands today (src/team/search-terms.ts): the login, the lower-cased name, and that name from
// the character after each separator on, cut at 64 characters, a page of members at a time so
// that memory stays bounded however large the teams.
// `down` rebuilds them with the previous rule (after spaces only).
const TERM_CHARS = 64
const PAGE = 1000
const SEPARATORS = [' ', '\u00a0', '-', '\u2010', '\u2011', "'", '\u2019', '.', '(']

function termsOf(login: string, lowered: string, separators: readonly string[]): string[] {
  const cut = (text: string) => Array.from(text).slice(0, TERM_CHARS).join('')
  const terms = new Set([cut(login), cut(lowered)])
  for (let at = 0; at < lowered.length; at++)
    if (separators.includes(lowered[at]!)) terms.add(cut(lowered.slice(at + 1)))
  terms.delete('')
  return [...terms]
}

/** Account by account: its terms deleted, then written again a page of members (by user id) at a time. */
async function rebuild(db: Kysely<any>, separators: readonly string[]) {
  // SQLite connections carry roster_lower (JavaScript's toLowerCase), PostgreSQL's lower() folds every script.
  const lower =
    engineOf(db) === 'postgres' ? sql<string>`lower(users.name)` : sql<string>`roster_lower(users.name)`
  const accounts = await db.selectFrom('accounts').select('id').orderBy('id').execute()
  for (const { id } of accounts) {
    await db.deleteFrom('member_search_terms').where('account_id', '=', id).execute()
    for (let after = -1; ;) {
      const members = await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['memberships.user_id', 'memberships.login', lower.as('lowered')])
        .where('memberships.account_id', '=', id)
        .where('memberships.user_id', '>', after)
        .orderBy('memberships.user_id')
        .limit(PAGE)
        .execute()
      if (members.length === 0) break
      const rows = members.flatMap((m) =>
        termsOf(m.login, m.lowered, separators).map((term) => ({ account_id: id, user_id: m.user_id, term })),
      )
      for (let i = 0; i < rows.length; i += PAGE)
        await db
          .insertInto('member_search_terms')
          .values(rows.slice(i, i + PAGE))
          .execute()
      after = members[members.length - 1]!.user_id
    }
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, SEPARATORS)
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, [' '])
}
