import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export async function insertAccount(db: Db, account: { name: string; domains: readonly string[]; now: number }) {
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

export function findAccount(db: Db, accountId: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst()
}

export async function domainsOf(db: Db, accountId: number): Promise<string[]> {
  const rows = await db.selectFrom('account_domains').select('domain').where('account_id', '=', accountId).execute()
  return rows.map((r) => r.domain)
}

/** Deletes an account; its domains, memberships, roles, invitations, keys and sessions go with it (FK cascade). */
export async function deleteAccount(db: Db, accountId: number): Promise<boolean> {
  const result = await db.deleteFrom('accounts').where('id', '=', accountId).executeTakeFirst()
  return result.numDeletedRows > 0n
}
