/**
 * The WAL checkpoint thread (wal-checkpoint.ts): its own connection to the database file copies
 * committed pages from the WAL into the file every CHECKPOINT_EVERY_MS. PASSIVE: it never waits
 * for, nor blocks, the server's writer and readers; what it cannot copy yet waits for the next.
 */
import { parentPort, workerData } from 'node:worker_threads'
import SQLite from 'better-sqlite3'

const CHECKPOINT_EVERY_MS = 100

const { path } = workerData as { path: string }
const database = new SQLite(path, { fileMustExist: true })
// FULL: the file is synced once its pages are copied, before the WAL may be reused.
database.pragma('synchronous = FULL')
database.pragma('busy_timeout = 1000')

setInterval(() => {
  try {
    database.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or the file is gone (the server is closing): the next turn tries again.
  }
}, CHECKPOINT_EVERY_MS)

parentPort?.postMessage('ready')
