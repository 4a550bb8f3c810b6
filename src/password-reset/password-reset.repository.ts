import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/**
 * The user's one live link: a newer one replaces the older, which stops working. With
 * `unlessIssuedAfter`, a link issued after that time stays as it is and nothing is written
 * (false). One statement, an upsert on the one row per user, so that simultaneous requests
 * neither collide on it nor both pass the check.
 */
export async function replaceReset(
  db: Db,
  r: { userId: number; tokenHash: string; now: number; expiresAt: number; unlessIssuedAfter?: number },
): Promise<boolean> {
  const values = { token_hash: r.tokenHash, created_at: r.now, expires_at: r.expiresAt }
  const result = await db
    .insertInto('password_resets')
    .values({ user_id: r.userId, ...values })
    .onConflict((oc) => {
      const replace = oc.column('user_id').doUpdateSet(values)
      return r.unlessIssuedAfter === undefined
        ? replace
        : replace.where('password_resets.created_at', '<=', r.unlessIssuedAfter)
    })
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
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
