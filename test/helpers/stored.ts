/**
 * What the database holds, read through the test app's own handle: every row of every table as
 * text, so a test can show that a secret it was handed is stored nowhere in plain text.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { TestApp } from './app.ts'

/** Every row of every table (migration bookkeeping aside), as one string. */
export async function everyStoredRow(t: TestApp): Promise<string> {
  const { db } = t.database
  const tables = await db.introspection.getTables()
  const dumps: string[] = []
  for (const table of tables) {
    const rows = await (db as unknown as Kysely<Record<string, object>>)
      .selectFrom(table.name)
      .selectAll()
      .execute()
    dumps.push(
      `${table.name}: ${JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value))}`,
    )
  }
  return dumps.join('\n')
}

/** The id of the user with this email, to read the rows that belong to them. */
export async function userIdOf(t: TestApp, email: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
