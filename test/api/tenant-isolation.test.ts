import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('tenant isolation between two accounts', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }
  let globex: { accountId: number; adminKey: string }

  before(async () => {
    t = await startTestApp()
    acme = await t.account('Acme', ['acme.com'], 'ada@acme.com')
    globex = await t.account('Globex', ['globex.com'], 'gus@globex.com')
    await t.member(acme.accountId, 'bob@acme.com', 'DEVELOPER')
    await t.member(globex.accountId, 'gia@globex.com', 'DEVELOPER')
    await t.post('/api/inviteUsers', globex.adminKey, { inviteeEmail: 'pending@globex.com', inviteeRole: 'GUEST' })
    await t.post('/api/createCustomRole', globex.adminKey, { roleName: 'secret_role', baseRole: 'GUEST' })
  })
  after(() => t.close())

  const team = async (key: string) => json<any[]>(await t.post('/api/getTeamData', key))

  it('lists only the caller account', async () => {
    assert.deepEqual((await team(acme.adminKey)).map((i) => i.login), ['ada@acme.com', 'bob@acme.com'])
    assert.deepEqual((await team(globex.adminKey)).map((i) => i.login), ['gus@globex.com', 'gia@globex.com', 'pending@globex.com'])
  })

  it("cannot remove another account's member or cancel its invitation, and the answer reveals nothing", async () => {
    const member = await t.post('/api/removeUser', acme.adminKey, { email: 'gia@globex.com' })
    const invitation = await t.post('/api/removeUser', acme.adminKey, { email: 'pending@globex.com' })
    const nobody = await t.post('/api/removeUser', acme.adminKey, { email: 'nobody@globex.com' })
    assert.equal(member.statusCode, 422)
    assert.equal(member.body, nobody.body)
    assert.equal(invitation.body, nobody.body)
    assert.equal((await team(globex.adminKey)).length, 3)
  })

  it("cannot change the role of another account's member", async () => {
    const res = await t.post('/api/makeAdmin', acme.adminKey, { email: 'gia@globex.com', userRole: 'GUEST' })
    assert.deepEqual(json(res).actionErrors, ["User doesn't exist"])
    assert.equal((await team(globex.adminKey)).find((i) => i.login === 'gia@globex.com').role, 'DEVELOPER')
  })

  it("cannot invite into another account's domain, nor see or use its custom roles", async () => {
    const res = await t.post('/api/inviteUsers', acme.adminKey, { inviteeEmail: 'x@globex.com', inviteeRole: 'GUEST' })
    assert.deepEqual(json(res).actionErrors, ['Email must belong to same organisation'])
    const useRole = await t.post('/api/inviteUsers', acme.adminKey, { inviteeEmail: 'x@acme.com', inviteeRole: 'secret_role' })
    assert.deepEqual(json(useRole).actionErrors, ['Invalid role'])
    assert.deepEqual(json(await t.post('/api/getCustomRoles', acme.adminKey)), { roles: [] })
    const del = await t.post('/api/deleteCustomRole', acme.adminKey, { roleName: 'secret_role' })
    assert.equal(json(del).code, 'ROLE_NOT_FOUND')
  })

  it('scopes a user who belongs to both accounts by the key they use', async () => {
    const inAcme = await t.member(acme.accountId, 'both@acme.com', 'GUEST')
    const inGlobex = await t.member(globex.accountId, 'both@acme.com', 'ADMIN')
    assert.equal((await t.post('/api/removeUser', inAcme.key, { email: 'bob@acme.com' })).statusCode, 403)
    assert.ok((await team(inGlobex.key)).some((i) => i.login === 'gia@globex.com'))
    assert.ok(!(await team(inAcme.key)).some((i) => i.login === 'gia@globex.com'))
  })
})
