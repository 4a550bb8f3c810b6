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

/** The combined texts kept (and prepared by PostgreSQL by name, engine.ts); beyond this, built per call. */
const MAX_NAMED = 500

/** Combined texts by their parts: built from fixed statements, they are few, and built once each. */
const combined = new Map<string, string>()

function combinedText(parts: readonly string[]): string {
  const key = parts.join('\u0000')
  const known = combined.get(key)
  if (known) return known
  let offset = 0
  const ctes = parts.map((part, i) => {
    const shifted = offset
    // Kysely's SQL holds no values (they are bound), so every $n in it is a placeholder.
    offset += new Set(part.match(/\$\d+/g)).size
    return `w${i} as (${part.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shifted}`)})`
  })
  const text = `with ${ctes.join(', ')} select 1`
  if (combined.size < MAX_NAMED) {
    combined.set(key, text)
    namedStatements.set(text, `roster_${namedStatements.size + 1}`)
  }
  return text
}

/** The writes as sent: on PostgreSQL one statement (none for no writes), on SQLite as they are. */
export function combinedWrites(db: Kysely<Database>, queries: readonly CompiledQuery[]): CompiledQuery[] {
  if (engineOf(db) !== 'postgres' || queries.length <= 1) return [...queries]
  const parameters = queries.flatMap((query) => query.parameters)
  const text = combinedText(queries.map((query) => query.sql))
  return [CompiledQuery.raw(text, parameters)]
}
