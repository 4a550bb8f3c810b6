import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
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

  const bad: [string, string][] = [['PORT', 'eighty'], ['PUBLIC_URL', 'ftp://x'], ['INVITE_TTL', '-5'], ['ALLOWED_ORIGINS', 'not a url']]
  for (const [variable, value] of bad) {
    it(`refuses to start with a bad ${variable}, naming it`, async () => {
      const server = await startServerProcess({ PORT: '1', [variable]: value, DATABASE_URL: ':memory:' })
      assert.equal(await server.exited, 1)
      assert.match(server.stderr(), new RegExp(variable))
    })
  }
})
