// OWASP API5:2023 Broken Function Level Authorization: the role table holds (see
// test/api/role-table.test.ts for every row), custom roles act as their base, a role change takes
// effect on a key in use, and no path or method variant reaches a handler it should not.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('API5 function level authorization', () => {
  let t: TestApp
  let admin: string
  let accountId: number
  let dev: string

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account())
    dev = (await t.member(accountId, 'dev@acme.com', 'DEVELOPER')).key
    await t.member(accountId, 'victim@acme.com', 'GUEST')
  })
  after(() => t.close())

  const stillThere = async () => json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'victim@acme.com')

  it('never lets a path variant reach removeUser for a DEVELOPER, nor reach it at all', async () => {
    const variants = ['/api/removeUser/', '//api/removeUser', '/api//removeUser', '/api%2FremoveUser', '/api/%72emoveUser', '/API/REMOVEUSER', '/api/removeuser', '/api/removeUser;x', '/api/./removeUser', '/api/x/../removeUser']
    for (const url of variants) {
      const res = await t.post(url, dev, { email: 'victim@acme.com' })
      assert.ok([403, 404].includes(res.statusCode), `${url} → ${res.statusCode}`)
    }
    assert.ok(await stillThere())
  })

  it('ignores X-HTTP-Method-Override and refuses other methods', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await t.server.inject({
        method,
        url: '/api/removeUser',
        headers: { 'x-api-key': admin, 'x-http-method-override': 'POST', 'content-type': 'application/json' },
        payload: method === 'GET' ? undefined : JSON.stringify({ email: 'victim@acme.com' }),
      })
      assert.ok([404, 405].includes(res.statusCode), `${method} → ${res.statusCode}`)
    }
    const override = await t.post('/api/getTeamData', dev, { email: 'victim@acme.com' }, { 'x-http-method-override': 'DELETE' })
    assert.equal(override.statusCode, 200)
    assert.ok(await stillThere())
  })

  it('applies a role change to a key already in use, both ways', async () => {
    const { key } = await t.member(accountId, 'shift@acme.com', 'GUEST')
    const invite = (n: number) => t.post('/api/inviteUsers', key, { inviteeEmail: `s${n}@acme.com`, inviteeRole: 'GUEST' })
    assert.equal((await invite(1)).statusCode, 403)
    await t.post('/api/makeAdmin', admin, { email: 'shift@acme.com', userRole: 'MEMBER' })
    assert.equal((await invite(2)).statusCode, 200)
    await t.post('/api/makeAdmin', admin, { email: 'shift@acme.com', userRole: 'GUEST' })
    assert.equal((await invite(3)).statusCode, 403)
  })

  it('treats a custom role exactly as its base role', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'superuser', baseRole: 'ADMIN' })
    await t.post('/api/createCustomRole', admin, { roleName: 'intern', baseRole: 'GUEST' })
    const su = (await t.member(accountId, 'su@acme.com', 'SUPERUSER')).key
    const intern = (await t.member(accountId, 'in@acme.com', 'INTERN')).key
    assert.equal((await t.post('/api/makeAdmin', su, { email: 'victim@acme.com', userRole: 'DEVELOPER' })).statusCode, 200)
    const denied = await t.post('/api/inviteUsers', intern, { inviteeEmail: 'q@acme.com', inviteeRole: 'GUEST' })
    assert.deepEqual(json(denied).actionErrors, ["The role 'GUEST' does not have access."])
  })
})
