/**
 * One migrating process at a time on a SQLite file. Kysely runs SQLite migrations statement by
 * statement, under no lock (its SQLite adapter has none), so processes starting at once on one
 * file interleaved them: one failed dropping an index another had just dropped, and a process
 * that had read the schema's state late re-created an index a later migration had dropped, then
 * failed recording a migration already recorded. PostgreSQL needs none of this: Kysely takes an
 * advisory lock there.
 *
 * The lock is a write transaction held on a small file of its own beside the database
 * (`<file>-migrate-lock`), not on the database, where it would block the migration itself. The
 * operating system drops it when its process dies, so a crash mid-migration leaves no stale lock.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import SQLite from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { engineOf, isLockContention } from './engine.ts'

/** How long a process waits for another one's migrations before it gives up. */
const WAIT_MS = 10 * 60_000
const POLL_MS = 100

export class MigrationLockTimeout extends Error {
  override name = 'MigrationLockTimeout'
}

export async function withMigrationLock<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'sqlite') return work()
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db)
  const file = rows.find((row) => row.name === 'main')?.file
  // In memory: no other process can open it.
  if (!file) return work()
  let lock: SQLite.Database
  try {
    lock = new SQLite(`${file}-migrate-lock`, { timeout: 0 })
  } catch {
    // A folder this process cannot write in: it could not migrate there either, only find the
    // schema up to date, which needs no lock.
    return work()
  }
  try {
    // Polled, not waited for in SQLite's busy handler: that would block this event loop.
    for (const deadline = Date.now() + WAIT_MS; ;) {
      try {
        lock.exec('begin immediate')
        break
      } catch (error) {
        if (!isLockContention(error)) throw error
        if (Date.now() > deadline)
          throw new MigrationLockTimeout(
            `another process has been migrating ${file} for ${WAIT_MS / 60_000} minutes`,
          )
        await sleep(POLL_MS)
      }
    }
    return await work()
  } finally {
    if (lock.inTransaction) lock.exec('rollback')
    lock.close()
  }
}
