/**
 * Group commit for PostgreSQL's read-then-write use cases (inviteUsers; transaction.ts
 * inAccountReadThenWrite). They lock their account first, and PostgreSQL holds a lock until the
 * COMMIT is on disk, so invitations to one account wait for each other's fsync one by one, while
 * the server, which groups the fsyncs of concurrent commits, has nothing to group. So use cases
 * to the same account that arrive while one is under way share the next transaction, each in
 * its own savepoint, and one COMMIT acknowledges them all (as group-commit.ts does on SQLite):
 * - Each locks the account and reads inside its savepoint: it sees the ones before it, in the
 *   same serial order the lock gives anyway. A batch holds one account's lock and no other, so
 *   batches cannot deadlock on each other.
 * - A use case that throws (a refusal, a failed write) rolls back to its savepoint alone; the
 *   others still commit.
 * - Nobody is answered before the COMMIT: if it fails, every use case of the batch fails (none
 *   of them is durable).
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { sendTogether } from './pipeline.ts'
import type { Database } from './schema.ts'

/**
 * One use case, given the statements to send before its first and after its last: it must send
 * `begin` with its first statements and `end` with its last, or nothing at all.
 */
export type Steps<T> = (db: Kysely<Database>, begin: CompiledQuery[], end: CompiledQuery[]) => Promise<T>

interface Pending {
  steps: Steps<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

const MAX_BATCH = 64

export class AccountBatches {
  /** Use cases waiting, per account with a batch under way. */
  private readonly queues = new Map<number, Pending[]>()

  constructor(private readonly db: Kysely<Database>) {}

  run<T>(accountId: number, steps: Steps<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { steps: steps as Steps<unknown>, resolve: resolve as (value: unknown) => void, reject }
      const queue = this.queues.get(accountId)
      if (queue) return void queue.push(pending)
      this.queues.set(accountId, [pending])
      void this.drain(accountId)
    })
  }

  private async drain(accountId: number) {
    const queue = this.queues.get(accountId)!
    try {
      // Requests that arrived meanwhile are still unread: letting I/O run once before each batch
      // is what lets them join it.
      do {
        await new Promise((resolve) => setImmediate(resolve))
        await this.commit(queue.splice(0, MAX_BATCH))
      } while (queue.length > 0)
    } finally {
      this.queues.delete(accountId)
    }
  }

  private async commit(batch: Pending[]) {
    const settle: (() => void)[] = []
    try {
      await this.db.connection().execute(async (conn) => {
        try {
          for (const [index, pending] of batch.entries()) {
            const begin = index === 0 ? [BEGIN, SAVEPOINT] : [SAVEPOINT]
            try {
              const value = await pending.steps(conn, begin, [RELEASE])
              settle.push(() => pending.resolve(value))
            } catch (error) {
              // After a failed write the transaction is aborted until this rollback; if it fails
              // too, the connection is gone and the whole batch with it.
              await sendTogether(conn, [ROLLBACK_TO, RELEASE])
              settle.push(() => pending.reject(error))
            }
          }
          await conn.executeQuery(COMMIT)
        } catch (error) {
          await conn.executeQuery(ROLLBACK).catch(() => {})
          throw error
        }
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    for (const s of settle) s()
  }
}

const BEGIN = CompiledQuery.raw('begin')
const SAVEPOINT = CompiledQuery.raw('savepoint use_case')
const RELEASE = CompiledQuery.raw('release use_case')
const ROLLBACK_TO = CompiledQuery.raw('rollback to use_case')
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')
