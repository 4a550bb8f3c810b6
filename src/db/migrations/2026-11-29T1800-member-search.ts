import { sql, type Kysely } from 'kysely'
import { engineOf } from '../engine.ts'

// Frozen: listTeam's member search as an index seek. Each member's search terms (the login, the
// lower-cased name, and that name after each space) keyed by (account_id, term), so a prefix is
// a range of the key. PostgreSQL compares the term bytewise (collate "C"), as SQLite's BINARY
// does, so that the range is the same on both. They go with their account (cascade); a removed
// membership's terms are deleted with it, through the (user_id, account_id) index, which also
// serves a user's rename. No foreign key to memberships: PostgreSQL checks one per inserted row
// with a plan cached while the team was small (a scan), which made a 10,000-row import 15 times
// slower. Existing members are indexed here with a copy of the rule as it stands today
// (src/team/search-terms.ts).
const TERM_CHARS = 64
const PAGE = 1000

function termsOf(login: string, lowered: string): string[] {
  const cut = (text: string) => Array.from(text).slice(0, TERM_CHARS).join('')
  const terms = new Set([cut(login), cut(lowered)])
  for (let at = lowered.indexOf(' '); at !== -1; at = lowered.indexOf(' ', at + 1))
    terms.add(cut(lowered.slice(at + 1)))
  terms.delete('')
  return [...terms]
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres'
  await db.schema
    .createTable('member_search_terms')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('term', postgres ? sql`varchar(64) collate "C"` : 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_search_terms_pk', ['account_id', 'term', 'user_id'])
    .execute()
  await db.schema
    .createIndex('member_search_terms_user_idx')
    .on('member_search_terms')
    .columns(['user_id', 'account_id'])
    .execute()

  // SQLite connections carry roster_lower (JavaScript's toLowerCase), PostgreSQL's lower() folds every script.
  const lower = postgres ? sql<string>`lower(users.name)` : sql<string>`roster_lower(users.name)`
  let after: { account_id: number; user_id: number } | undefined
  for (;;) {
    let page = db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['memberships.account_id', 'memberships.user_id', 'memberships.login', lower.as('lowered')])
      .orderBy('memberships.account_id')
      .orderBy('memberships.user_id')
      .limit(PAGE)
    if (after) {
      const { account_id, user_id } = after
      page = page.where((eb) =>
        eb.or([
          eb('memberships.account_id', '>', account_id),
          eb.and([eb('memberships.account_id', '=', account_id), eb('memberships.user_id', '>', user_id)]),
        ]),
      )
    }
    const members = await page.execute()
    if (members.length === 0) return
    const rows = members.flatMap((m) =>
      termsOf(m.login, m.lowered).map((term) => ({ account_id: m.account_id, user_id: m.user_id, term })),
    )
    for (let i = 0; i < rows.length; i += PAGE)
      await db
        .insertInto('member_search_terms')
        .values(rows.slice(i, i + PAGE))
        .execute()
    after = members[members.length - 1]
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_search_terms').execute()
}
