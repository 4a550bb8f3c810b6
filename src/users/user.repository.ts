import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { reindexUser } from '../team/member-search.repository.ts'

type Db = Kysely<Database>

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export async function insertUser(
  db: Db,
  user: { email: string; name: string; passwordHash?: string | null; now: number },
) {
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash ?? null,
      created_at: user.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function findUserById(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Sets a name and password on a user who has none yet (first sign-up through an invitation). */
export async function setUserCredentials(
  db: Db,
  id: number,
  user: { name: string; passwordHash: string },
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ name: user.name, password_hash: user.passwordHash })
    .where('id', '=', id)
    .where('password_hash', 'is', null)
    .executeTakeFirst()
  if (result.numUpdatedRows === 0n) return false
  // The name is searched in every account the user belongs to.
  await reindexUser(db, id)
  return true
}

export async function updatePasswordHash(db: Db, id: number, passwordHash: string) {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute()
}

/** Many users at once (bulk import, seeding); addresses that already have a user are left alone. */
export async function insertUsersIfAbsent(
  db: Db,
  users: readonly { email: string; name: string }[],
  now: number,
) {
  if (users.length === 0) return
  await db
    .insertInto('users')
    .values(users.map((u) => ({ email: u.email, name: u.name, password_hash: null, created_at: now })))
    .onConflict((oc) => oc.column('email').doNothing())
    .execute()
}

export function userIdsByEmail(db: Db, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([])
  return db.selectFrom('users').select(['id', 'email']).where('email', 'in', emails).execute()
}
