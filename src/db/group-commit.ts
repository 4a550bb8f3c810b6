/**
 * Group commit for SQLite. A durable COMMIT costs one fsync, which is most of a write use case's
 * time. Use cases that arrive while a commit is under way share the next transaction, each in
 * its own savepoint, and one COMMIT acknowledges them all. SQLite admits one writer at a time
 * anyway, so the order is the same serial order; what changes is the number of fsyncs.
 * - A use case that throws rolls back to its savepoint alone; the others still commit.
 * - Nobody is answered before the COMMIT has returned: if it fails, every use case of the batch
 *   fails (none of them is durable).
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Work<T> = (trx: Transaction<Database>) => Promise<T>

interface Pending {
  work: Work<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

const MAX_BATCH = 64

export class GroupCommit {
  private queue: Pending[] = []
  private draining = false

  constructor(private readonly db: Kysely<Database>) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!this.draining) void this.drain()
    })
  }

  private async drain() {
    this.draining = true
    try {
      // better-sqlite3 commits synchronously: requests that arrived meanwhile are still unread.
      // Letting I/O run once before each batch is what lets them join it.
      do {
        await new Promise((resolve) => setImmediate(resolve))
        await this.commit(this.queue.splice(0, MAX_BATCH))
      } while (this.queue.length > 0)
    } finally {
      this.draining = false
    }
  }

  private async commit(batch: Pending[]) {
    const settle: (() => void)[] = []
    let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>> | undefined
    try {
      trx = await this.db.startTransaction().execute()
      for (const pending of batch) {
        await sql`savepoint use_case`.execute(trx)
        try {
          const value = await pending.work(trx)
          await sql`release use_case`.execute(trx)
          settle.push(() => pending.resolve(value))
        } catch (error) {
          await sql`rollback to use_case`.execute(trx)
          await sql`release use_case`.execute(trx)
          settle.push(() => pending.reject(error))
        }
      }
      await trx.commit().execute()
    } catch (error) {
      if (trx && !trx.isCommitted && !trx.isRolledBack)
        await trx
          .rollback()
          .execute()
          .catch(() => {})
      for (const pending of batch) pending.reject(error)
      return
    }
    for (const s of settle) s()
  }
}
