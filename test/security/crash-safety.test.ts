// Crash safety: SIGKILL in the middle of a stream of invitations, 20 times. After every restart,
// each invitation that was answered 200 is there, and the database passes its integrity check.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp } from '../helpers/app.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

/** What is wrong with the database after a kill: [] when it is sound. */
async function integrityProblems(db: TestDatabase): Promise<string[]> {
  const handle = db.open()
  try {
    if (testEngine === 'sqlite') {
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db)
      const { rows: keys } = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(handle.db)
      return [
        ...rows.map((r) => r.integrity_check).filter((r) => r !== 'ok'),
        ...keys.map((k) => `foreign key: ${JSON.stringify(k)}`),
      ]
    }
    // PostgreSQL: the B-tree indexes of the tables written agree with their heaps (amcheck
    // reads every index entry and every heap tuple), and the rows agree with each other.
    const problems: string[] = []
    await sql`create extension if not exists amcheck`.execute(handle.db)
    const { rows: indexes } = await sql<{ index: string }>`
      select c.relname as index from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_class t on t.oid = i.indrelid
      join pg_am am on am.oid = c.relam
      join pg_namespace n on n.oid = t.relnamespace
      where am.amname = 'btree' and n.nspname = current_schema()`.execute(handle.db)
    if (indexes.length === 0) problems.push('no index found to check')
    for (const { index } of indexes) {
      try {
        await sql`select bt_index_check(${index}::regclass, true)`.execute(handle.db)
      } catch (error) {
        problems.push(`index ${index}: ${(error as Error).message}`)
      }
    }
    // Read past the indexes (sequential scans): no email pending twice in an account.
    await sql`set enable_indexscan = off`.execute(handle.db)
    await sql`set enable_bitmapscan = off`.execute(handle.db)
    const { rows } = await sql<{
      n: number
    }>`select count(*) as n from (select account_id, email from invitations group by account_id, email having count(*) > 1) d`.execute(
      handle.db,
    )
    if (Number(rows[0]?.n) !== 0) problems.push(`${rows[0]?.n} emails invited twice`)
    return problems
  } finally {
    await handle.close()
  }
}

// The stream must not be cut short by the invitation flood limits.
const noInviteLimits = { INVITE_LIMIT_PER_ACCOUNT: '10000000', INVITE_LIMIT_PER_KEY: '10000000' }

describe('crash safety', () => {
  let db: TestDatabase
  let adminKey: string
  let server: ServerProcess | undefined

  before(async () => {
    db = await createTestDatabase()
    const t = await startTestApp({ testDb: db })
    ;({ adminKey } = await t.account('Acme', ['acme.com']))
    await t.close({ keepDatabase: true })
  })
  after(async () => {
    server?.kill()
    await db.drop()
  })

  it('loses no acknowledged invitation across 20 kills mid-stream', async () => {
    const acknowledged: string[] = []
    for (let round = 0; round < 20; round++) {
      server = await startServerProcess({ DATABASE_URL: db.url, ...noInviteLimits })
      await server.ready()
      const url = server.url
      let sent = 0
      let inFlight = 0
      let answered = 0
      let progress = () => {}
      const worker = async (w: number) => {
        // Sends until the server is gone: the kill, not a flag, ends the stream.
        for (;;) {
          const email = `r${round}-w${w}-${sent++}@acme.com`
          inFlight++
          try {
            const res = await fetch(`${url}/api/inviteUsers`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
              body: JSON.stringify({ inviteeEmail: email, inviteeRole: 'GUEST' }),
            })
            assert.equal(res.status, 200, await res.text())
            acknowledged.push(email)
            answered++
          } catch (error) {
            if (error instanceof assert.AssertionError) throw error
            return // the server died under us
          } finally {
            inFlight--
            progress()
          }
        }
      }
      const workers = [0, 1, 2, 3].map(worker)
      // Kill once the stream is flowing (a few answers in this round, a number that varies by
      // round) and at a moment when requests are in flight: waited for, not slept.
      const want = 3 + (round % 5)
      const flowing = new Promise<void>((resolve) => {
        progress = () => {
          if (answered >= want && inFlight > 0) resolve()
        }
        progress()
      })
      const ended = Promise.all(workers).then(() => {
        throw new Error(`round ${round + 1}: the stream ended before the kill: ${server?.stderr()}`)
      })
      await Promise.race([flowing, ended])
      ended.catch(() => {})
      const inFlightAtKill = inFlight
      server.kill('SIGKILL')
      await Promise.all(workers)
      await server.exited
      assert.ok(answered >= want, `round ${round + 1}: ${answered} answered before the kill`)
      assert.ok(inFlightAtKill > 0, `round ${round + 1}: a request was in flight at the kill`)
      assert.deepEqual(await integrityProblems(db), [], `integrity after kill ${round + 1}`)
    }

    server = await startServerProcess({ DATABASE_URL: db.url })
    await server.ready()
    const res = await fetch(`${server.url}/api/getTeamData`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey },
    })
    const listed = new Set(((await res.json()) as { login: string }[]).map((i) => i.login))
    const lost = acknowledged.filter((email) => !listed.has(email))
    assert.deepEqual(lost, [], 'acknowledged invitations lost')
    server.kill('SIGTERM')
    assert.equal(await server.exited, 0)
  })
})
