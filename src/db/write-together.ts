/**
 * Writes of one use case that do not depend on one another, sent as one statement where that
 * saves time. PostgreSQL is a round trip away, and a use case that holds the account's lock
 * (transaction.ts) holds it for every round trip: there the writes go as data-modifying CTEs of
 * one statement (`with w0 as (insert …), w1 as (update …) select 1`), which PostgreSQL runs
 * exactly once each, to completion. SQLite runs in-process, so they simply run in order.
 *
 * The CTEs see one snapshot and none sees another's effects, and no two may touch the same row:
 * pass only statements that are independent of each other, as they would be in any order.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { engineOf } from './engine.ts'
import { namedStatements } from './prepared.ts'
import type { Database } from './schema.ts'

/** The combined texts PostgreSQL prepares by name (engine.ts); beyond this, they are sent unnamed. */
const MAX_NAMED = 500

export async function writeTogether(db: Kysely<Database>, queries: readonly CompiledQuery[]): Promise<void> {
  if (queries.length === 0) return
  if (engineOf(db) !== 'postgres' || queries.length === 1) {
    for (const query of queries) await db.executeQuery(query)
    return
  }
  const parameters: unknown[] = []
  const parts = queries.map((query, i) => {
    const offset = parameters.length
    parameters.push(...query.parameters)
    // Kysely's SQL holds no values (they are bound), so every $n in it is a placeholder.
    return `w${i} as (${query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`
  })
  const text = `with ${parts.join(', ')} select 1`
  // Built from fixed statements, the combined texts are few: planned once per connection.
  if (!namedStatements.has(text) && namedStatements.size < MAX_NAMED)
    namedStatements.set(text, `roster_${namedStatements.size + 1}`)
  await db.executeQuery(CompiledQuery.raw(text, parameters))
}
