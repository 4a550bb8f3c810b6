import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

// Concurrent write use cases may share a commit (group commit, on both engines): each still succeeds or
// fails on its own, and every success is durable and visible.
describe('concurrent write requests', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('keeps every accepted invitation when others in the same burst are refused', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? { inviteeEmail: `bad${i}@acme.com`, inviteeRole: 'NO_SUCH_ROLE' }
        : i % 3 === 1
          ? { inviteeEmail: `out${i}@other.com`, inviteeRole: 'GUEST' }
          : { inviteeEmail: `ok${i}@acme.com`, inviteeRole: 'GUEST' },
    )
    const answers = await Promise.all(bodies.map((body) => t.post('/api/inviteUsers', admin, body)))
    answers.forEach((res, i) => assert.equal(res.statusCode, i % 3 === 2 ? 200 : 422, `request ${i}`))
    const logins = json<any[]>(await t.post('/api/getTeamData', admin)).map((item) => item.login)
    const expected = bodies.filter((_, i) => i % 3 === 2).map((b) => b.inviteeEmail)
    assert.deepEqual(logins.filter((l) => l !== 'ada@acme.com').sort(), expected.sort())
  })

  it('never removes the last ADMIN when two ADMINs remove each other at once', async () => {
    const other = await t.member(accountId, 'root@acme.com', 'ADMIN')
    const [a, b] = await Promise.all([
      t.post('/api/removeUser', admin, { email: 'root@acme.com' }),
      t.post('/api/removeUser', other.key, { email: 'ada@acme.com' }),
    ])
    // One succeeds; the other is refused (last ADMIN) or no longer authenticated (removed).
    assert.equal([a.statusCode, b.statusCode].filter((code) => code === 200).length, 1)
    const admins = json<any[]>(
      await t.post('/api/getTeamData', a.statusCode === 200 ? admin : other.key),
    ).filter((i) => i.role === 'ADMIN')
    assert.equal(admins.length, 1)
  })
})
