/**
 * Hot read queries compiled once. Kysely builds and compiles a query on every call, which costs
 * more than running one of our small indexed queries; a prepared query is built once per dialect
 * with markers in place of its parameters, and each call only binds values. Only for queries
 * whose shape never depends on the values.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { Database } from './schema.ts'

const MARKER = '\u0000param:'

/**
 * The SQL text of every prepared query, with the name PostgreSQL prepares it under on each
 * connection (engine.ts): planning a join costs PostgreSQL more than running it, and a named
 * statement is planned once per connection. Only these fixed, explicit-column queries are named.
 */
export const namedStatements = new Map<string, string>()

type Slot = { name: string } | { value: unknown }

export interface PreparedQuery<P, R> {
  all(db: Kysely<Database>, params: P): Promise<R[]>
  first(db: Kysely<Database>, params: P): Promise<R | undefined>
  /** The compiled query with these values bound, to be sent with others (write-together.ts). */
  bind(db: Kysely<Database>, params: P): CompiledQuery<R>
}

export function prepared<P extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): PreparedQuery<P, R> {
  // Keyed by the dialect's adapter: SQLite and PostgreSQL compile to different SQL.
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: Slot[] }>()

  function compile(db: Kysely<Database>) {
    const adapter = db.getExecutor().adapter
    let entry = compiled.get(adapter)
    if (!entry) {
      const markers = new Proxy({}, { get: (_t, name) => `${MARKER}${String(name)}` }) as P
      const query = build(db, markers).compile()
      const slots = query.parameters.map((value): Slot =>
        typeof value === 'string' && value.startsWith(MARKER)
          ? { name: value.slice(MARKER.length) }
          : { value },
      )
      entry = { query, slots }
      compiled.set(adapter, entry)
      if (!namedStatements.has(query.sql))
        namedStatements.set(query.sql, `roster_${namedStatements.size + 1}`)
    }
    return entry
  }

  function bind(db: Kysely<Database>, params: P): CompiledQuery<R> {
    const { query, slots } = compile(db)
    const parameters = slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value))
    return { ...query, parameters }
  }

  async function all(db: Kysely<Database>, params: P): Promise<R[]> {
    const result = await db.executeQuery<R>(bind(db, params))
    return result.rows
  }

  return { all, bind, first: async (db, params) => (await all(db, params))[0] }
}
