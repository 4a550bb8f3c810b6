/**
 * Group commit for SQLite. A durable COMMIT costs one fsync, which is most of a write use case's
 * time. Use cases that arrive while a commit is under way share the next transaction, each in
 * its own savepoint, and one COMMIT acknowledges them all. SQLite admits one writer at a time
 * anyway, so the order is the same serial order; what changes is the number of fsyncs.
 * - A use case that throws rolls back to its savepoint alone; the others still commit.
 * - Nobody is answered before their COMMIT is on disk: if it fails, every use case of the batch
 *   fails (none of them is durable).
 * - The fsync runs off the event loop. better-sqlite3 commits synchronously, so under
 *   `synchronous = FULL` the whole process would wait for the disk; instead this transaction
 *   commits under NORMAL (written to the WAL, not yet synced) and the WAL file is then synced in
 *   the thread pool before anyone is answered: the same guarantee as FULL for everything
 *   acknowledged, while the next batch runs. Every other write keeps FULL.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { sql, type Kysely, type Transaction } from 'kysely'
import { Batches, type Pending as BatchPending } from './batches.ts'
import type { Database } from './schema.ts'

type Work<T> = (trx: Transaction<Database>) => Promise<T>

type Pending = BatchPending<Work<unknown>>

export class GroupCommit {
  /** SQLite has one writer: one queue (one key). */
  private readonly batches = new Batches((_: null, batch: Pending[]) => this.commit(batch))
  private wal: Promise<FileHandle> | undefined

  /** `walPath`: the database's -wal file; without one (in memory) commits stay synchronous. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly walPath?: string,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return this.batches.add(null, work as Work<unknown>)
  }

  /** Closes the WAL handle (the database closes separately). */
  async close() {
    const wal = this.wal
    this.wal = undefined
    await (await wal?.catch(() => undefined))?.close()
  }

  private async commit(batch: Pending[]) {
    const settle: (() => void)[] = []
    const deferred = this.walPath !== undefined
    try {
      // One connection for the pragma, the transaction and the pragma back: no other statement
      // runs between them (Kysely's SQLite driver hands out its one connection exclusively).
      await this.db.connection().execute(async (conn) => {
        if (deferred) await sql`pragma synchronous = NORMAL`.execute(conn)
        try {
          await conn.transaction().execute(async (trx) => {
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
          })
        } finally {
          if (deferred) await sql`pragma synchronous = FULL`.execute(conn)
        }
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    if (!deferred) return void settle.forEach((s) => s())
    // Not awaited: the next batch runs while this one's WAL frames reach the disk.
    this.sync().then(
      () => settle.forEach((s) => s()),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    )
  }

  /** fdatasync of the WAL file: everything committed before this call is then on disk. */
  private async sync() {
    this.wal ??= open(this.walPath!, 'r')
    await (await this.wal).datasync()
  }
}
