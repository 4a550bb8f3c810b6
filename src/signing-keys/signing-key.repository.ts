import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export function newestSigningKey(db: Db) {
  return db.selectFrom('signing_keys').selectAll().orderBy('generation', 'desc').limit(1).executeTakeFirst()
}

export function signingKeyByKid(db: Db, kid: string) {
  return db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst()
}

/** Inserts a generation unless another instance already did (first start of several instances). */
export async function insertSigningKeyIfAbsent(
  db: Db,
  key: { generation: number; kid: string; secret: string; now: number },
) {
  await db
    .insertInto('signing_keys')
    .values({ generation: key.generation, kid: key.kid, secret: key.secret, created_at: key.now })
    .onConflict((oc) => oc.column('generation').doNothing())
    .execute()
}
