import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const success = (email: string) => ({
  email,
  id: 0,
  passwordResetToken: null,
  roleHierarchy: 'SUCCESS',
  userRoleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
  users: null,
})

describe('POST /api/removeUser', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it("removes a member, answers Akto's body, and their key stops working on the next request", async () => {
    const bob = await t.member(accountId, 'bob@acme.com', 'DEVELOPER')
    assert.equal((await t.post('/api/getTeamData', bob.key)).statusCode, 200)
    const res = await t.post('/api/removeUser', admin, { email: 'BOB@acme.com' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), success('bob@acme.com'))
    assert.ok(!json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'bob@acme.com'))
    assert.equal((await t.post('/api/getTeamData', bob.key)).statusCode, 401)
  })

  it('keeps the key dead even when the person is added back', async () => {
    const cat = await t.member(accountId, 'cat@acme.com', 'MEMBER')
    await t.post('/api/removeUser', admin, { email: 'cat@acme.com' })
    await t.member(accountId, 'cat@acme.com', 'MEMBER')
    assert.equal((await t.post('/api/getTeamData', cat.key)).statusCode, 401)
  })

  it('cancels a pending invitation with the same answer', async () => {
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'inv@acme.com', inviteeRole: 'GUEST' })
    const res = await t.post('/api/removeUser', admin, { email: 'inv@acme.com' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), success('inv@acme.com'))
    assert.ok(!json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'inv@acme.com'))
  })

  it('deletes the pending invitation of a removed member', async () => {
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'dup@acme.com', inviteeRole: 'GUEST' })
    await t.member(accountId, 'dup@acme.com', 'GUEST')
    await t.post('/api/removeUser', admin, { email: 'dup@acme.com' })
    assert.ok(!json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'dup@acme.com'))
  })

  it('answers "User doesn\'t exist" for neither a member nor an invitation', async () => {
    const res = await t.post('/api/removeUser', admin, { email: 'ghost@acme.com' })
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), { actionErrors: ["User doesn't exist"], code: 'USER_NOT_FOUND' })
  })

  it('refuses a missing email', async () => {
    const res = await t.post('/api/removeUser', admin, {})
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res).actionErrors, ['Invalid email'])
  })

  it('refuses removing yourself', async () => {
    const res = await t.post('/api/removeUser', admin, { email: 'ada@acme.com' })
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res).actionErrors, ['You cannot perform this action on yourself'])
  })

  it('lets an ADMIN remove another ADMIN while one remains', async () => {
    await t.member(accountId, 'second@acme.com', 'ADMIN')
    assert.equal((await t.post('/api/removeUser', admin, { email: 'second@acme.com' })).statusCode, 200)
  })

  it('keeps the other accounts of a removed user', async () => {
    const other = await t.account('Other', ['other.io'], 'olga@other.io')
    await t.member(other.accountId, 'multi@acme.com', 'DEVELOPER')
    await t.member(accountId, 'multi@acme.com', 'DEVELOPER')
    const removed = await t.post('/api/removeUser', admin, { email: 'multi@acme.com' })
    assert.equal(removed.statusCode, 200, removed.body)
    // Gone from this account, kept in the other.
    assert.equal(
      json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'multi@acme.com'),
      false,
    )
    const team = json<any[]>(await t.post('/api/getTeamData', other.adminKey))
    assert.ok(team.some((i) => i.login === 'multi@acme.com'))
  })
})
