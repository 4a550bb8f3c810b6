import type { Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export async function insertAccount(
  db: Db,
  account: { name: string; domains: readonly string[]; now: number },
) {
  const { id } = await db
    .insertInto('accounts')
    .values({ name: account.name, created_at: account.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('account_domains')
    .values(account.domains.map((domain) => ({ account_id: id, domain })))
    .execute()
  return id
}

/**
 * Locks the account for the rest of the transaction by raising its team_version: write use cases
 * of one account are serialised (at least one ADMIN, a role in use cannot race), and whatever
 * they commit shows as a new version. On SQLite, writing first also takes the file's write lock
 * before anything is read, so another process (the CLI beside the server) waits on the busy
 * timeout instead of failing on a stale snapshot.
 */
export async function lockAccount(db: Db, accountId: number) {
  await lockStatement.first(db, { accountId })
}
/** The lock as a statement, to be sent with others (db/transaction.ts). */
export const lockAccountStatement = (db: Db, accountId: number) => lockStatement.bind(db, { accountId })
const nextVersion = (db: Db) =>
  db.updateTable('accounts').set((eb) => ({ team_version: eb('team_version', '+', 1) }))
const lockStatement = prepared((db, p: { accountId: number }) =>
  nextVersion(db).where('id', '=', p.accountId),
)

/**
 * Raises the version of every account a user belongs to: their name shows in each team list.
 * Only for a change made under one account's lock that other accounts also show.
 */
export async function touchAccountsOfUser(db: Db, userId: number) {
  await nextVersion(db)
    .where('id', 'in', db.selectFrom('memberships').select('account_id').where('user_id', '=', userId))
    .execute()
}

export function findAccount(db: Db, accountId: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst()
}

export async function domainsOf(db: Db, accountId: number): Promise<string[]> {
  const rows = await domains.all(db, { accountId })
  return rows.map((r) => r.domain)
}
const domains = prepared((db, p: { accountId: number }) =>
  db.selectFrom('account_domains').select('domain').where('account_id', '=', p.accountId),
)

/** Deletes an account; its domains, memberships, roles, invitations, keys and sessions go with it (FK cascade). */
export async function deleteAccount(db: Db, accountId: number): Promise<boolean> {
  const result = await db.deleteFrom('accounts').where('id', '=', accountId).executeTakeFirst()
  return result.numDeletedRows > 0n
}
