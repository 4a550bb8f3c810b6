import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export function findResetOfUser(db: Db, userId: number) {
  return db
    .selectFrom('password_resets')
    .select(['id', 'created_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/** The user's one live link: a newer one replaces the older, which stops working. */
export async function replaceReset(
  db: Db,
  r: { userId: number; tokenHash: string; now: number; expiresAt: number },
) {
  await db.deleteFrom('password_resets').where('user_id', '=', r.userId).execute()
  await db
    .insertInto('password_resets')
    .values({ user_id: r.userId, token_hash: r.tokenHash, created_at: r.now, expires_at: r.expiresAt })
    .execute()
}

/** Uses a link: deletes it and returns its user, only while it is live. Once, even under a race. */
export async function consumeReset(db: Db, tokenHash: string, now: number) {
  return db
    .deleteFrom('password_resets')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst()
}
