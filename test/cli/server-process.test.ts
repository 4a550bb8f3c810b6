import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { json, startTestApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

describe('the server process', () => {
  it('starts on PORT with migrations applied, answers, and exits 0 on SIGTERM', async () => {
    const db = await createTestDatabase()
    const server = await startServerProcess({ DATABASE_URL: db.url })
    try {
      await server.ready()
      const res = await fetch(`${server.url}/api/getTeamData`, { method: 'POST' })
      assert.equal(res.status, 401)
      server.kill('SIGTERM')
      assert.equal(await server.exited, 0)
    } finally {
      server.kill()
      await db.drop()
    }
  })

  it('on SIGTERM finishes a request in flight, then exits 0, and the change is kept', async () => {
    const db = await createTestDatabase()
    const operator = await startTestApp({ testDb: db })
    const { adminKey } = await operator.account()
    await operator.close({ keepDatabase: true })
    const server = await startServerProcess({ DATABASE_URL: db.url })
    try {
      const body = JSON.stringify({ inviteeEmail: 'bob@acme.com', inviteeRole: 'GUEST' })
      // The request is in flight for certain: its headers are in (the server logs it) and its
      // body lacks the last byte when the signal lands; only then does the rest follow. (A cheap
      // request: the server allows its requests in flight 10 s to finish.)
      const { port } = new URL(server.url)
      const socket = connect(Number(port), '127.0.0.1')
      const answer = new Promise<string>((resolve, reject) => {
        let text = ''
        socket.on('data', (d: Buffer) => (text += d.toString()))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
      socket.write(
        `POST /api/inviteUsers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-API-Key: ${adminKey}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, -1)}`,
      )
      await server.waitForLog(
        (line) => line.msg === 'incoming request' && line.req?.url === '/api/inviteUsers',
      )
      server.kill('SIGTERM')
      await server.waitForLog((line) => line.msg === 'shutting down')
      socket.write(body.slice(-1))
      assert.match(await answer, /^HTTP\/1\.1 200 /, server.log())
      assert.equal(await server.exited, 0, server.stderr())
      const after = await startTestApp({ testDb: db })
      const team = json<any[]>(await after.post('/api/getTeamData', adminKey))
      assert.ok(
        team.some((i) => i.login === 'bob@acme.com' && i.isInvitation),
        JSON.stringify(team),
      )
      await after.close({ keepDatabase: true })
    } finally {
      server.kill()
      await db.drop()
    }
  })

  const bad: [string, string][] = [
    ['PORT', 'eighty'],
    ['PUBLIC_URL', 'ftp://x'],
    ['INVITE_TTL', '-5'],
    ['ALLOWED_ORIGINS', 'not a url'],
    // Neither a file path nor a PostgreSQL URL (it used to become a SQLite file in ./mysql:/).
    ['DATABASE_URL', 'mysql://roster:secret@db/roster'],
    // The same port as PORT ('1'): the two listeners cannot share it.
    ['METRICS_PORT', '1'],
  ]
  for (const [variable, value] of bad) {
    it(`refuses to start with a bad ${variable}, naming it`, async () => {
      const server = await startServerProcess(
        { PORT: '1', DATABASE_URL: ':memory:', [variable]: value },
        { wait: false },
      )
      assert.equal(await server.exited, 1)
      assert.match(server.stderr(), new RegExp(variable))
      assert.doesNotMatch(server.stderr(), /secret/)
    })
  }
})
