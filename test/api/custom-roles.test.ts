import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('custom roles', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('creates a role stored upper-case with its base role and lists it', async () => {
    const res = await t.post('/api/createCustomRole', admin, { roleName: 'Release_Manager-2', baseRole: 'member' })
    assert.equal(res.statusCode, 200)
    const roles = json(await t.post('/api/getCustomRoles', admin))
    assert.deepEqual(roles, { roles: [{ name: 'RELEASE_MANAGER-2', baseRole: 'MEMBER', defaultInviteRole: false }] })
  })

  it('keeps at most one default invite role per account', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'first', baseRole: 'GUEST', defaultInviteRole: true })
    await t.post('/api/createCustomRole', admin, { roleName: 'second', baseRole: 'GUEST', defaultInviteRole: true })
    const { roles } = json(await t.post('/api/getCustomRoles', admin))
    assert.deepEqual(roles.filter((r: any) => r.defaultInviteRole).map((r: any) => r.name), ['SECOND'])
  })

  const nameErrors: [unknown, string][] = [
    ['', 'Role names cannot be empty.'],
    [undefined, 'Role names cannot be empty.'],
    ['x'.repeat(51), 'Role names cannot be more than 50 characters.'],
    ['bad name', "Role names can only be alphanumeric and contain '-'and '_'"],
    ['émile', "Role names can only be alphanumeric and contain '-'and '_'"],
    ['admin', 'ADMIN is a reserved keyword.'],
    ['Guest', 'GUEST is a reserved keyword.'],
    ['viewer', 'VIEWER is a reserved keyword.'],
  ]
  for (const [roleName, message] of nameErrors) {
    it(`refuses the name ${JSON.stringify(roleName)?.slice(0, 20)} with "${message}"`, async () => {
      const res = await t.post('/api/createCustomRole', admin, { roleName, baseRole: 'GUEST' })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res).actionErrors, [message])
    })
  }

  // updateCustomRole has the spec's two refusals (§8): a name no custom role has, however it is
  // malformed, does not exist; the base role and the code are the same words as creating's.
  for (const [roleName] of nameErrors) {
    it(`refuses updating the name ${JSON.stringify(roleName)?.slice(0, 20)} with "Role does not exist."`, async () => {
      const res = await t.post('/api/updateCustomRole', admin, { roleName, baseRole: 'GUEST' })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), { actionErrors: ['Role does not exist.'], code: 'ROLE_NOT_FOUND' })
    })
  }

  it('answers an unknown base role with "Base role does not exist" on create and update alike, changing nothing', async () => {
    const roles = async () => json(await t.post('/api/getCustomRoles', admin)).roles
    const before = await roles()
    const unknownBase = { actionErrors: ['Base role does not exist'], code: 'INVALID_BASE_ROLE' }
    const created = await t.post('/api/createCustomRole', admin, { roleName: 'same_words', baseRole: 'OWNER' })
    assert.equal(created.statusCode, 422)
    assert.deepEqual(json(created), unknownBase)
    const updated = await t.post('/api/updateCustomRole', admin, { roleName: 'first', baseRole: 'OWNER' })
    assert.equal(updated.statusCode, 422)
    assert.deepEqual(json(updated), unknownBase)
    assert.deepEqual(await roles(), before)
    // The controls: the same calls with a base role that exists.
    assert.equal((await t.post('/api/createCustomRole', admin, { roleName: 'same_words', baseRole: 'GUEST' })).statusCode, 200)
    assert.equal((await t.post('/api/updateCustomRole', admin, { roleName: 'first', baseRole: 'GUEST' })).statusCode, 200)
  })

  it('answers a role that does not exist with "Role does not exist." on update and delete alike', async () => {
    const missing = { actionErrors: ['Role does not exist.'], code: 'ROLE_NOT_FOUND' }
    const updated = await t.post('/api/updateCustomRole', admin, { roleName: 'absent', baseRole: 'GUEST' })
    assert.equal(updated.statusCode, 422)
    assert.deepEqual(json(updated), missing)
    const deleted = await t.post('/api/deleteCustomRole', admin, { roleName: 'absent' })
    assert.equal(deleted.statusCode, 422)
    assert.deepEqual(json(deleted), missing)
  })

  it('refuses an unknown base role and a duplicate name', async () => {
    assert.equal(json(await t.post('/api/createCustomRole', admin, { roleName: 'x1', baseRole: 'OWNER' })).code, 'INVALID_BASE_ROLE')
    assert.equal(json(await t.post('/api/createCustomRole', admin, { roleName: 'first', baseRole: 'GUEST' })).code, 'ROLE_EXISTS')
  })

  it('will not delete a role a member uses, nor one a pending invitation uses', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'used', baseRole: 'GUEST' })
    await t.member(accountId, 'u@acme.com', 'used')
    const byUser = await t.post('/api/deleteCustomRole', admin, { roleName: 'used' })
    assert.deepEqual(json(byUser).actionErrors, ['Role is associated with users. Cannot delete.'])

    await t.post('/api/createCustomRole', admin, { roleName: 'pending', baseRole: 'GUEST' })
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'p@acme.com', inviteeRole: 'pending' })
    const byInvite = await t.post('/api/deleteCustomRole', admin, { roleName: 'PENDING' })
    assert.deepEqual(json(byInvite).actionErrors, ['Role is associated with pending invites. Cannot delete.'])
  })

  it('deletes an unused role, and then it is an invalid role to invite with', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'temp', baseRole: 'GUEST' })
    const res = await t.post('/api/deleteCustomRole', admin, { roleName: 'temp' })
    assert.equal(res.statusCode, 200)
    assert.ok(!json(res).roles.some((r: any) => r.name === 'TEMP'))
    const invite = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'n@acme.com', inviteeRole: 'temp' })
    assert.deepEqual(json(invite).actionErrors, ['Invalid role'])
  })

  it('refuses deleting a role that does not exist', async () => {
    const res = await t.post('/api/deleteCustomRole', admin, { roleName: 'nothing' })
    assert.equal(res.statusCode, 422)
    assert.equal(json(res).code, 'ROLE_NOT_FOUND')
  })
})
