import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database>

/** True when any account exists (made by setup or by the CLI). */
export async function anyAccountExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/** Claims the installation; a second claim fails on the primary key. */
export async function claimInstallation(db: Db, now: number): Promise<void> {
  await db.insertInto('installation').values({ id: 1, set_up_at: now }).execute()
}
