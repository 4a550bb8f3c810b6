import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export async function insertUser(db: Db, user: { email: string; name: string; passwordHash?: string | null; now: number }) {
  const row = await db
    .insertInto('users')
    .values({ email: user.email, name: user.name, password_hash: user.passwordHash ?? null, created_at: user.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
