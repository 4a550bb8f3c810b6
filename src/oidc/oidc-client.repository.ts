import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { OidcClientTable } from './oidc.table.ts'

type Db = Kysely<Database>

export type ClientRow = OidcClientTable

export function findClientRow(db: Db, clientId: string) {
  return db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst()
}

export function listClientRows(db: Db, accountId: number) {
  return db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('client_id')
    .execute()
}

export async function insertClientRow(db: Db, row: ClientRow) {
  await db.insertInto('oidc_clients').values(row).execute()
}

/** Deletes one application of an account; false when the account has none by that id. */
export async function deleteClientRow(db: Db, accountId: number, clientId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('oidc_clients')
    .where('client_id', '=', clientId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
