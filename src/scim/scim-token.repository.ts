import type { Kysely } from 'kysely'
import { prepared } from '../db/prepared.ts'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export async function insertScimToken(
  db: Db,
  t: { accountId: number; name: string; hash: string; prefix: string; now: number },
) {
  const row = await db
    .insertInto('scim_tokens')
    .values({
      account_id: t.accountId,
      name: t.name,
      token_hash: t.hash,
      prefix: t.prefix,
      created_at: t.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The live token with this hash: one indexed read. */
export function findLiveScimToken(db: Db, hash: string) {
  return liveToken.first(db, { hash })
}
const liveToken = prepared((db, p: { hash: string }) =>
  db
    .selectFrom('scim_tokens')
    .where('token_hash', '=', p.hash)
    .where('revoked_at', 'is', null)
    .select(['id', 'account_id as accountId', 'token_hash as tokenHash', 'last_used_at as lastUsedAt']),
)

export async function touchScimToken(db: Db, id: number, now: number) {
  await db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', id).execute()
}

export function listScimTokens(db: Db, accountId: number) {
  return db
    .selectFrom('scim_tokens')
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .select(['id', 'name', 'prefix', 'created_at as createdAt', 'last_used_at as lastUsedAt'])
    .orderBy('id')
    .execute()
}

export function findScimToken(db: Db, id: number) {
  return db.selectFrom('scim_tokens').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function revokeScimToken(db: Db, accountId: number, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('scim_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function setScimDefaultRole(db: Db, accountId: number, role: string | null) {
  await db.updateTable('accounts').set({ scim_default_role: role }).where('id', '=', accountId).execute()
}
