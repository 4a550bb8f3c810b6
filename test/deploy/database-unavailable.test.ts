import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/engine.ts'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { createTestDatabase, testEngine } from '../helpers/database.ts'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts'

// SQLite is a file in the process: there is no connection to lose.
const skip = testEngine === 'postgres' ? false : 'PostgreSQL only (runs in the PostgreSQL pass)'

/**
 * Polls a request until it answers `status`. Recovery has no fixed deadline, only a generous bound
 * (a loaded machine may take seconds to reconnect): 600 polls, at least a minute.
 */
async function until(status: number, request: () => Promise<{ statusCode: number }>) {
  let last = 0
  for (let i = 0; i < 600; i++) {
    last = (await request()).statusCode
    if (last === status) return
    await sleep(100)
  }
  assert.fail(`still ${last} instead of ${status}`)
}

describe('the database going away and coming back', { skip }, () => {
  let t: TestApp
  let proxy: TcpProxy
  let adminKey: string
  const unhandled: unknown[] = []
  const onUnhandled = (error: unknown) => void unhandled.push(error)

  before(async () => {
    process.on('uncaughtException', onUnhandled)
    process.on('unhandledRejection', onUnhandled)
    const direct = await createTestDatabase()
    const url = new URL(direct.url)
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) })
    url.port = String(proxy.port)
    // Roster reaches the database only through the proxy; a connect timeout (short, yet long enough for a loaded machine) keeps the
    // black-hole case quick.
    const proxied = {
      ...direct,
      url: url.toString(),
      open: () => openDatabase(url.toString(), { poolSize: 4, connectTimeoutMs: 3000 }),
    }
    t = await startTestApp({ testDb: proxied })
    ;({ adminKey } = await t.account())
  })
  after(async () => {
    proxy.restore()
    await t.close()
    await proxy.close()
    process.off('uncaughtException', onUnhandled)
    process.off('unhandledRejection', onUnhandled)
  })

  const teamData = () => t.post('/api/getTeamData', adminKey)
  const invite = (email: string) =>
    t.post('/api/inviteUsers', adminKey, { inviteeEmail: email, inviteeRole: 'GUEST' })
  const ready = () => t.server.inject({ method: 'GET', url: '/readyz' })

  it('serves normally while the database answers', async () => {
    assert.equal((await teamData()).statusCode, 200)
    assert.equal((await ready()).statusCode, 200)
  })

  it('answers 503 in the error shape with Retry-After when connections are cut, and /readyz says not ready', async () => {
    proxy.cut()
    for (const res of [await teamData(), await invite('cut@acme.com')]) {
      assert.equal(res.statusCode, 503)
      assert.deepEqual(json(res), {
        actionErrors: ['The database is unavailable; try again shortly.'],
        code: 'DATABASE_UNAVAILABLE',
      })
      assert.ok(Number(res.headers['retry-after']) > 0)
    }
    const readiness = await ready()
    assert.equal(readiness.statusCode, 503)
    assert.ok(Number(readiness.headers['retry-after']) > 0)
    assert.equal((await t.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  })

  it('answers 503 when the database stops answering and connecting times out', async () => {
    proxy.stall()
    const res = await teamData()
    assert.equal(res.statusCode, 503)
    assert.equal(json(res).code, 'DATABASE_UNAVAILABLE')
    assert.equal((await ready()).statusCode, 503)
  })

  it('resumes by itself once the database is back, with nothing lost or crashed', async () => {
    proxy.restore()
    await until(200, ready)
    assert.equal((await invite('back@acme.com')).statusCode, 200)
    const logins = json<{ login: string }[]>(await teamData()).map((m) => m.login)
    assert.deepEqual(logins, ['ada@acme.com', 'back@acme.com'])
    assert.deepEqual(unhandled, [])
  })
})
