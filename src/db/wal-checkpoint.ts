/**
 * WAL checkpoints off the request loop. SQLite copies the WAL back into the database file when a
 * commit finds it past `wal_autocheckpoint` pages, in the committing connection: better-sqlite3
 * is synchronous, so the server's one connection stopped every few hundred commits for the copy
 * and the file's fsync, and under inviteUsers load those commits took 40 % of all commit time
 * (docs/benchmarks.md). A thread of its own checkpoints every 100 ms instead (PASSIVE: it never
 * blocks a writer). The server's connection keeps an automatic checkpoint at a much higher mark,
 * FALLBACK_PAGES: the bound on the WAL should the thread fall behind under a write load with no
 * pause (a PASSIVE checkpoint cannot restart a WAL that is being appended to) or die.
 */
import type SQLite from 'better-sqlite3'
import { startThread } from '../shared/thread.ts'

const FALLBACK_PAGES = 10_000

/** Starts checkpointing `path` in a thread; the connection's own checkpoints move to the fallback mark. */
export function checkpointInThread(database: SQLite.Database, path: string) {
  const thread = startThread('wal-checkpoint.mjs', new URL('./wal-checkpoint-thread.ts', import.meta.url), {
    workerData: { path },
  })
  // It never keeps the process alive.
  thread.unref()
  // Without the thread (it failed or exited), the connection checkpoints as SQLite does by default.
  const fallBack = () => {
    if (database.open) database.pragma('wal_autocheckpoint = 1000')
  }
  thread.on('error', fallBack)
  thread.on('exit', fallBack)
  database.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`)
  return {
    async close() {
      thread.off('exit', fallBack)
      await thread.terminate()
    },
  }
}
