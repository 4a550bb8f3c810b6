import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/** Challenges live server-side: each is used once, before it expires. */
export async function insertChallenge(
  db: Db,
  c: {
    challenge: string
    purpose: 'register' | 'login'
    userId: number | null
    now: number
    expiresAt: number
  },
) {
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<=', c.now).execute()
  await db
    .insertInto('webauthn_challenges')
    .values({ challenge: c.challenge, purpose: c.purpose, user_id: c.userId, expires_at: c.expiresAt })
    .execute()
}

/** Takes a live challenge of this purpose (and user, for a registration): true once. */
export async function consumeChallenge(
  db: Db,
  challenge: string,
  purpose: 'register' | 'login',
  userId: number | null,
  now: number,
) {
  let query = db
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
  query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId)
  const result = await query.executeTakeFirst()
  return result.numDeletedRows > 0n
}

export function listPasskeys(db: Db, userId: number) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'name', 'credential_id', 'transports', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
}

export async function hasPasskey(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('passkeys').select('id').where('user_id', '=', userId).executeTakeFirst()
  return row !== undefined
}

export function findPasskeyByCredentialId(db: Db, credentialId: string) {
  return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst()
}

export async function insertPasskey(
  db: Db,
  p: {
    userId: number
    credentialId: string
    publicKey: string
    counter: number
    transports: string
    name: string
    now: number
  },
) {
  const row = await db
    .insertInto('passkeys')
    .values({
      user_id: p.userId,
      credential_id: p.credentialId,
      public_key: p.publicKey,
      counter: p.counter,
      transports: p.transports,
      name: p.name,
      created_at: p.now,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Records a use. The counter only moves forward (an authenticator that does not count stays at
 * 0): of two sign-ins racing with one counter value, only one is recorded.
 */
export async function recordPasskeyUse(
  db: Db,
  id: number,
  previous: number,
  counter: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', previous)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Removes one of the user's passkeys; its name, or undefined when it is not theirs or gone. */
export async function deletePasskey(db: Db, userId: number, id: number): Promise<string | undefined> {
  const row = await db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('name')
    .executeTakeFirst()
  return row?.name
}
