import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import assert from 'node:assert/strict'
import SQLite from 'better-sqlite3'
import { startTestApp } from './app.ts'
import { createTestDatabase } from './database.ts'
import { startServerProcess } from './server-process.ts'
import { waitFor } from './webhook-receiver.ts'

/**
 * The invitations in a SQLite database file itself, leaving out its WAL: a copy of the file alone
 * holds only what a checkpoint has copied into it. A copy taken mid-checkpoint may be torn: then
 * it answers -1 (not there yet).
 */
function invitationsInFile(path: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'roster-file-'))
  const copy = join(dir, 'copy.db')
  try {
    copyFileSync(path, copy)
    const db = new SQLite(copy)
    try {
      return (db.prepare('select count(*) as n from invitations').get() as { n: number }).n
    } finally {
      db.close()
    }
  } catch {
    return -1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Starts a server on a fresh SQLite file, invites 20 people through it and waits until the
 * file itself (not its WAL) holds them, while the server runs. 20 invitations are far below the
 * 1,000 WAL pages at which SQLite checkpoints by itself: only the server's checkpoint thread
 * (src/db/wal-checkpoint.ts) puts them in the file this soon.
 */
export async function expectInvitationsCheckpointed(options: { bundle: boolean }) {
  const sqlite = await createTestDatabase('sqlite')
  const seed = await startTestApp({ testDb: sqlite })
  const { adminKey } = await seed.account('Acme', ['acme.com'])
  await seed.close({ keepDatabase: true })
  const server = await startServerProcess({ DATABASE_URL: sqlite.url }, options)
  try {
    for (let i = 0; i < 20; i++) {
      const res = await server.post('/api/inviteUsers', adminKey, {
        inviteeEmail: `p${i}@acme.com`,
        inviteeRole: 'GUEST',
      })
      assert.equal(res.status, 200, JSON.stringify(res.body))
    }
    await waitFor(() => invitationsInFile(sqlite.url) === 20, 'the invitations in the file', 10_000)
  } finally {
    await server.stop()
    await sqlite.drop()
  }
}
