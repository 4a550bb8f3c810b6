import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'

// Real parallel requests over a real port; the final state is read back through the API.
describe('invariants under concurrent requests', () => {
  let t: TestApp
  let base: string

  before(async () => {
    t = await startTestApp({ env: { INVITE_LIMIT_PER_EMAIL: '1000' } })
    base = await t.server.listen({ port: 0, host: '127.0.0.1' })
  })
  after(() => t.close())

  const call = async (key: string, path: string, body: unknown = {}) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  it('keeps one pending invitation per email when many invites of it race', async () => {
    const { adminKey } = await t.account('Race', ['race.io'], 'ada@race.io')
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(adminKey, '/api/inviteUsers', { inviteeEmail: 'same@race.io', inviteeRole: i % 2 ? 'GUEST' : 'MEMBER' })),
    )
    assert.ok(results.every((r) => r.status === 200))
    const team = (await call(adminKey, '/api/getTeamData')).body as any[]
    assert.equal(team.filter((i) => i.login === 'same@race.io').length, 1)
  })

  it('leaves at least one ADMIN when two admins remove each other at the same instant', async () => {
    for (let round = 0; round < 10; round++) {
      const domain = `rm${round}.io`
      const { accountId, adminKey } = await t.account('Rm', [domain], `a@${domain}`)
      const b = await t.member(accountId, `b@${domain}`, 'ADMIN')
      const [x, y] = await Promise.all([
        call(adminKey, '/api/removeUser', { email: `b@${domain}` }),
        call(b.key, '/api/removeUser', { email: `a@${domain}` }),
      ])
      assert.equal([x, y].filter((r) => r.status === 200).length, 1, `round ${round}: exactly one removal wins`)
      const survivor = x.status === 200 ? adminKey : b.key
      const admins = ((await call(survivor, '/api/getTeamData')).body as any[]).filter((i) => i.role === 'ADMIN')
      assert.equal(admins.length, 1)
    }
  })

  it('leaves at least one ADMIN when two admins demote each other at the same instant', async () => {
    for (let round = 0; round < 10; round++) {
      const domain = `dm${round}.io`
      const { accountId, adminKey } = await t.account('Dm', [domain], `a@${domain}`)
      const b = await t.member(accountId, `b@${domain}`, 'ADMIN')
      const [x, y] = await Promise.all([
        call(adminKey, '/api/makeAdmin', { email: `b@${domain}`, userRole: 'MEMBER' }),
        call(b.key, '/api/makeAdmin', { email: `a@${domain}`, userRole: 'MEMBER' }),
      ])
      assert.equal([x, y].filter((r) => r.status === 200).length, 1, `round ${round}`)
      const survivor = x.status === 200 ? adminKey : b.key
      const admins = ((await call(survivor, '/api/getTeamData')).body as any[]).filter((i) => i.role === 'ADMIN')
      assert.equal(admins.length, 1)
    }
  })

  it('refuses the key of a member removed by a concurrent request on its next request', async () => {
    const { accountId, adminKey } = await t.account('Kr', ['kr.io'], 'a@kr.io')
    const m = await t.member(accountId, 'm@kr.io', 'MEMBER')
    const invites = Array.from({ length: 10 }, (_, i) => call(m.key, '/api/inviteUsers', { inviteeEmail: `n${i}@kr.io`, inviteeRole: 'GUEST' }))
    await Promise.all([call(adminKey, '/api/removeUser', { email: 'm@kr.io' }), ...invites])
    assert.equal((await call(m.key, '/api/getTeamData')).status, 401)
  })
})
