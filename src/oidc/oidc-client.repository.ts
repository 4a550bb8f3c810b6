import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { OidcClientTable } from './oidc.table.ts'

type Db = Kysely<Database>

export type ClientRow = OidcClientTable

/**
 * A live application; with `includeDeleted`, a deleted one too. That is only for authenticating
 * the client itself, so a deleted one is told its grants are gone rather than that it is unknown.
 */
export function findClientRow(db: Db, clientId: string, { includeDeleted = false } = {}) {
  let query = db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId)
  if (!includeDeleted) query = query.where('deleted_at', 'is', null)
  return query.executeTakeFirst()
}

export function listClientRows(db: Db, accountId: number) {
  return db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('client_id')
    .execute()
}

export async function insertClientRow(db: Db, row: ClientRow) {
  await db.insertInto('oidc_clients').values(row).execute()
}

/**
 * Deletes one application of an account, leaving its row as a tombstone (its id is never issued
 * again); false when the account has no live application by that id.
 */
export async function deleteClientRow(
  db: Db,
  accountId: number,
  clientId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('oidc_clients')
    .set({ deleted_at: now })
    .where('client_id', '=', clientId)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
