/** oidc-provider's state rows (one table keyed by model and id), for both engines. */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export interface PayloadRow {
  model: string
  id: string
  payload: string
  expiresAt: number | null
  grantId: string | null
  uid: string | null
  userCode: string | null
  clientId: string | null
  subject: string | null
}

export async function upsertPayload(db: Db, row: PayloadRow) {
  const update = {
    payload: row.payload,
    expires_at: row.expiresAt,
    consumed_at: null,
    grant_id: row.grantId,
    uid: row.uid,
    user_code: row.userCode,
    client_id: row.clientId,
    subject: row.subject,
  }
  const values = { model: row.model, id: row.id, ...update }
  await db
    .insertInto('oidc_payloads')
    .values(values)
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(update))
    .execute()
}

type Key = { column: 'id' | 'uid' | 'user_code'; value: string }

/** The live row (not expired at `now`) of a model by id, uid or user code. */
export function findPayload(db: Db, model: string, key: Key, now: number) {
  return db
    .selectFrom('oidc_payloads')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where(key.column, '=', key.value)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()
}

export async function consumePayload(db: Db, model: string, id: string, now: number) {
  await db
    .updateTable('oidc_payloads')
    .set({ consumed_at: now })
    .where('model', '=', model)
    .where('id', '=', id)
    .execute()
}

export async function destroyPayload(db: Db, model: string, id: string) {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute()
}

/** Everything issued under one grant (codes, tokens, the grant itself), whatever the model. */
export async function deleteByGrantId(db: Db, grantId: string) {
  await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute()
  await db.deleteFrom('oidc_payloads').where('model', '=', 'Grant').where('id', '=', grantId).execute()
}

/** A removed member's grants and tokens for the account's applications. */
export async function deleteForMember(db: Db, accountId: number, userId: number) {
  await db
    .deleteFrom('oidc_payloads')
    .where('subject', '=', String(userId))
    .where(
      'client_id',
      'in',
      db.selectFrom('oidc_clients').select('client_id').where('account_id', '=', accountId),
    )
    .execute()
}

/** Every grant, token and provider session of a user, for every application (their credentials changed). */
export async function deleteForUser(db: Db, userId: number) {
  await db.deleteFrom('oidc_payloads').where('subject', '=', String(userId)).execute()
}

/** Everything an application was issued (on its deletion). */
export async function deleteForClient(db: Db, clientId: string) {
  await db.deleteFrom('oidc_payloads').where('client_id', '=', clientId).execute()
}

export async function deleteExpiredPayloads(db: Db, now: number) {
  await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).execute()
}
