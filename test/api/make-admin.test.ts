import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('POST /api/makeAdmin', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
    await t.member(accountId, 'bob@acme.com', 'GUEST')
  })
  after(() => t.close())

  const roleOf = async (email: string) =>
    json<any[]>(await t.post('/api/getTeamData', admin)).find((i) => i.login === email)?.role

  it("changes a member's role and answers the removeUser shape", async () => {
    const res = await t.post('/api/makeAdmin', admin, { email: 'bob@acme.com', userRole: 'member' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), {
      email: 'bob@acme.com',
      id: 0,
      passwordResetToken: null,
      roleHierarchy: 'SUCCESS',
      userRoleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
      users: null,
    })
    assert.equal(await roleOf('bob@acme.com'), 'MEMBER')
  })

  it('applies the new role to the member’s key at once', async () => {
    const kim = await t.member(accountId, 'kim@acme.com', 'MEMBER')
    const invite = { inviteeEmail: 'x1@acme.com', inviteeRole: 'GUEST' }
    assert.equal((await t.post('/api/inviteUsers', kim.key, invite)).statusCode, 200)
    await t.post('/api/makeAdmin', admin, { email: 'kim@acme.com', userRole: 'GUEST' })
    assert.equal((await t.post('/api/inviteUsers', kim.key, invite)).statusCode, 403)
  })

  it('assigns a custom role', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'qa', baseRole: 'DEVELOPER' })
    assert.equal((await t.post('/api/makeAdmin', admin, { email: 'bob@acme.com', userRole: 'QA' })).statusCode, 200)
    assert.equal(await roleOf('bob@acme.com'), 'QA')
  })

  const errors: [string, Record<string, unknown>, string][] = [
    ['yourself', { email: 'ada@acme.com', userRole: 'GUEST' }, 'You cannot perform this action on yourself'],
    ['an unknown role', { email: 'bob@acme.com', userRole: 'OWNER' }, 'Invalid user role'],
    ['a missing role', { email: 'bob@acme.com' }, 'Invalid user role'],
    ['an unknown member', { email: 'ghost@acme.com', userRole: 'GUEST' }, "User doesn't exist"],
  ]
  for (const [what, body, message] of errors) {
    it(`refuses ${what} with "${message}"`, async () => {
      const res = await t.post('/api/makeAdmin', admin, body)
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res).actionErrors, [message])
    })
  }

  it('never leaves the account without an ADMIN', async () => {
    const second = await t.member(accountId, 'eve@acme.com', 'ADMIN')
    // Eve demotes Ada: allowed, Eve remains ADMIN.
    assert.equal((await t.post('/api/makeAdmin', second.key, { email: 'ada@acme.com', userRole: 'MEMBER' })).statusCode, 200)
    // Ada (now MEMBER) may no longer call makeAdmin at all.
    assert.equal((await t.post('/api/makeAdmin', admin, { email: 'eve@acme.com', userRole: 'MEMBER' })).statusCode, 403)
    const admins = json<any[]>(await t.post('/api/getTeamData', second.key)).filter((i) => i.role === 'ADMIN')
    assert.deepEqual(admins.map((a) => a.login), ['eve@acme.com'])
  })
})
