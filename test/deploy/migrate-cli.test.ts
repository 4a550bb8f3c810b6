import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { roster as runCli } from '../helpers/cli.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'

describe(`roster migrate on ${testEngine}`, () => {
  let db: TestDatabase
  before(async () => (db = await createTestDatabase()))
  after(() => db.drop())

  it('brings an empty database to the latest schema, then has nothing left to do', async () => {
    const first = await runCli(['migrate', '--json'], { DATABASE_URL: db.url })
    assert.equal(first.code, 0, first.stderr)
    const { applied } = JSON.parse(first.stdout) as { applied: string[] }
    assert.ok(applied.includes('2026-11-27T0000-initial'))
    const again = await runCli(['migrate'], { DATABASE_URL: db.url })
    assert.equal(again.code, 0, again.stderr)
    assert.equal(again.stdout.trim(), 'Already up to date.')
  })

  it('lets several processes migrate one new database at once: each migration is applied once, none fails', async () => {
    // Kysely runs SQLite migrations statement by statement and locks nothing: without Roster's
    // own lock (src/db/migration-lock.ts), processes interleaved them and failed ("already
    // exists", "no such index", a migration recorded twice).
    const fresh = await createTestDatabase()
    try {
      const runs = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() => runCli(['migrate', '--json'], { DATABASE_URL: fresh.url })),
      )
      for (const run of runs) assert.equal(run.code, 0, run.stderr)
      const applied = runs.flatMap((run) => (JSON.parse(run.stdout) as { applied: string[] }).applied)
      assert.equal(new Set(applied).size, applied.length, `applied twice: ${applied.join(', ')}`)
      assert.ok(applied.includes('2026-11-27T0000-initial'))
      assert.ok(applied.includes('2026-11-29T2300-sign-in-index'))
    } finally {
      await fresh.drop()
    }
  })

  it('exits non-zero with a message when the database cannot be reached', async () => {
    // PostgreSQL: nothing listens on port 1. SQLite: the file's folder would sit under a file.
    let unreachable = 'postgres://postgres@127.0.0.1:1/none'
    if (testEngine === 'sqlite') {
      const blocker = join(db.url, '..', 'not-a-folder')
      writeFileSync(blocker, '')
      unreachable = join(blocker, 'roster.db')
    }
    const result = await runCli(['migrate'], { DATABASE_URL: unreachable })
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /^roster: .+/m)
  })
})
