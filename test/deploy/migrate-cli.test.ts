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
