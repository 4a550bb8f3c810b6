// Crash safety: SIGKILL in the middle of a stream of invitations, 20 times. After every restart,
// each invitation that was answered 200 is there, and the database passes its integrity check.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp } from '../helpers/app.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'

async function integrityOk(db: TestDatabase): Promise<boolean> {
  const handle = db.open()
  try {
    if (testEngine === 'sqlite') {
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db)
      return rows[0]?.integrity_check === 'ok'
    }
    // PostgreSQL: every index is usable and the unique invariants hold.
    const { rows } = await sql<{ n: number }>`select count(*) as n from (select account_id, email from invitations group by account_id, email having count(*) > 1) d`.execute(handle.db)
    return Number(rows[0]?.n) === 0
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
      let stop = false
      let sent = 0
      const worker = async (w: number) => {
        while (!stop) {
          const email = `r${round}-w${w}-${sent++}@acme.com`
          try {
            const res = await fetch(`${url}/api/inviteUsers`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
              body: JSON.stringify({ inviteeEmail: email, inviteeRole: 'GUEST' }),
            })
            if (res.status === 200) acknowledged.push(email)
          } catch {
            return // the server died under us
          }
        }
      }
      const workers = [0, 1, 2, 3].map(worker)
      await new Promise((r) => setTimeout(r, 150 + ((round * 37) % 300)))
      server.kill('SIGKILL')
      stop = true
      await Promise.all(workers)
      await server.exited
      assert.ok(await integrityOk(db), `integrity after kill ${round + 1}`)
    }
    assert.ok(acknowledged.length > 20, `the stream was real (${acknowledged.length} acknowledged)`)

    server = await startServerProcess({ DATABASE_URL: db.url })
    await server.ready()
    const res = await fetch(`${server.url}/api/getTeamData`, { method: 'POST', headers: { 'x-api-key': adminKey } })
    const listed = new Set(((await res.json()) as { login: string }[]).map((i) => i.login))
    const lost = acknowledged.filter((email) => !listed.has(email))
    assert.deepEqual(lost, [], 'acknowledged invitations lost')
    server.kill('SIGTERM')
    assert.equal(await server.exited, 0)
  })
})
