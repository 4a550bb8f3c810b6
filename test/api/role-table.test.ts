import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

// Spec §2: who may call what. A denied call is 403 with Akto's message, naming the base role (a
// custom role's too), and changes nothing.
const table: [endpoint: string, body: Record<string, unknown>, allowed: string[]][] = [
  ['/api/getTeamData', {}, ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST']],
  ['/api/getRoleHierarchy', {}, ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST']],
  ['/api/getCustomRoles', {}, ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST']],
  ['/api/inviteUsers', { inviteeEmail: 'new-ROLE@acme.com', inviteeRole: 'GUEST' }, ['ADMIN', 'MEMBER']],
  ['/api/removeUser', { email: 'target-ROLE@acme.com' }, ['ADMIN']],
  ['/api/makeAdmin', { email: 'mk-ROLE@acme.com', userRole: 'DEVELOPER' }, ['ADMIN']],
  ['/api/createCustomRole', { roleName: 'r-ROLE', baseRole: 'GUEST' }, ['ADMIN']],
  ['/api/deleteCustomRole', { roleName: 'gone-ROLE' }, ['ADMIN']],
]

describe('the role table', () => {
  let t: TestApp
  let accountId: number
  let admin: string
  const keys: Record<string, string> = {}

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
    keys.ADMIN = (await t.member(accountId, 'admin2@acme.com', 'ADMIN')).key
    for (const role of ['MEMBER', 'DEVELOPER', 'GUEST']) keys[role] = (await t.member(accountId, `${role.toLowerCase()}@acme.com`, role)).key
    // A custom role acts as its base role.
    await t.post('/api/createCustomRole', admin, { roleName: 'helper', baseRole: 'DEVELOPER' })
    keys.HELPER = (await t.member(accountId, 'helper@acme.com', 'HELPER')).key
    for (const role of ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST', 'HELPER']) {
      await t.member(accountId, `target-${role.toLowerCase()}@acme.com`, 'GUEST')
      await t.member(accountId, `mk-${role.toLowerCase()}@acme.com`, 'GUEST')
      await t.post('/api/createCustomRole', admin, { roleName: `gone-${role}`, baseRole: 'GUEST' })
    }
  })
  after(() => t.close())

  for (const [endpoint, body, allowed] of table) {
    for (const role of ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST', 'HELPER']) {
      const base = role === 'HELPER' ? 'DEVELOPER' : role
      const may = allowed.includes(base)
      it(`${may ? 'lets' : 'refuses'} ${role} ${may ? 'call' : 'calling'} ${endpoint}`, async () => {
        const payload = JSON.parse(JSON.stringify(body).replaceAll('ROLE', role.toLowerCase()))
        const before = json(await t.post('/api/getTeamData', admin)) as unknown[]
        const res = await t.post(endpoint, keys[role], payload)
        if (may) {
          assert.equal(res.statusCode, 200, res.body)
        } else {
          assert.equal(res.statusCode, 403)
          assert.deepEqual(json(res), { actionErrors: [`The role '${base}' does not have access.`], code: 'FORBIDDEN_ROLE' })
          assert.deepEqual(json(await t.post('/api/getTeamData', admin)), before)
        }
      })
    }
  }

  it('answers 401 without a key, with an unknown key, and with a malformed key', async () => {
    for (const key of [undefined, 'rst_' + 'A'.repeat(32), 'nonsense', ' ' + admin, admin.toUpperCase()]) {
      const res = await t.post('/api/getTeamData', key)
      assert.equal(res.statusCode, 401, String(key))
      assert.equal(json(res).code, 'UNAUTHENTICATED')
      assert.ok(Array.isArray(json(res).actionErrors))
    }
  })
})
