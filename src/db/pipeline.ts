/**
 * Statements sent in one go. PostgreSQL lets a client send several statements before it reads
 * any answer (pipelining: `pg`'s `pipeline` mode, engine.ts). They still run one after another,
 * in order, each with a fresh snapshot and each seeing the ones before, but the batch costs one
 * round trip instead of one each. Kysely runs a connection's queries one at a time, so the batch
 * travels as one query that carries the others, unpacked by the connection (engine.ts). SQLite
 * runs in-process: there the statements simply run in order.
 *
 * An error fails the batch; on PostgreSQL the statements behind it still ran (inside a
 * transaction they fail too: it is aborted, and a COMMIT behind it rolls back).
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { engineOf, PIPELINE, type PipelinedStatement } from './engine.ts'
import type { Database } from './schema.ts'

/** Runs the statements in order, in one round trip where the engine allows; the rows of each. */
export async function sendTogether(
  db: Kysely<Database>,
  queries: readonly CompiledQuery[],
): Promise<unknown[][]> {
  if (engineOf(db) !== 'postgres') {
    const rows: unknown[][] = []
    for (const query of queries) rows.push([...(await db.executeQuery(query)).rows])
    return rows
  }
  const batch: PipelinedStatement[] = queries.map((q) => ({ sql: q.sql, parameters: q.parameters }))
  const result = await db.executeQuery<unknown[]>(CompiledQuery.raw(PIPELINE, [batch]))
  return result.rows
}
