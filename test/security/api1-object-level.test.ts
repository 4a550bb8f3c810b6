// OWASP API1:2023 Broken Object Level Authorization: every object is reached only through the
// caller's account, and a refusal does not reveal whether another account's email exists.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('API1 object level authorization', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }
  let globex: { accountId: number; adminKey: string }
  let bothInAcme: string

  before(async () => {
    t = await startTestApp()
    acme = await t.account('Acme', ['acme.com'], 'ada@acme.com')
    globex = await t.account('Globex', ['globex.com'], 'gus@globex.com')
    // One person in both accounts: ADMIN in Globex, GUEST in Acme.
    await t.member(globex.accountId, 'both@acme.com', 'ADMIN')
    bothInAcme = (await t.member(acme.accountId, 'both@acme.com', 'GUEST')).key
    await t.member(globex.accountId, 'gia@globex.com', 'DEVELOPER')
    await t.post('/api/inviteUsers', globex.adminKey, {
      inviteeEmail: 'pending@globex.com',
      inviteeRole: 'GUEST',
    })
    await t.post('/api/createCustomRole', globex.adminKey, { roleName: 'globex_only', baseRole: 'GUEST' })
  })
  after(() => t.close())

  const snapshot = async () => ({
    team: json(await t.post('/api/getTeamData', globex.adminKey)),
    roles: json(await t.post('/api/getCustomRoles', globex.adminKey)),
    audit: json(await t.post('/api/getAuditLogs', globex.adminKey, { limit: 200 })).auditLogs.length,
  })

  it("refuses every write aimed at the other account's objects and changes nothing there", async () => {
    const before = await snapshot()
    const [globexKey] = await t.services.apiKeys.listForAccount(globex.accountId)
    // Each is refused by the account-scoped lookup it names, with that lookup's status and code.
    const attempts: [string, Record<string, unknown>, number, string][] = [
      ['/api/removeUser', { email: 'gia@globex.com' }, 422, 'USER_NOT_FOUND'],
      ['/api/removeUser', { email: 'pending@globex.com' }, 422, 'USER_NOT_FOUND'],
      ['/api/makeAdmin', { email: 'gia@globex.com', userRole: 'GUEST' }, 422, 'USER_NOT_FOUND'],
      ['/api/deleteCustomRole', { roleName: 'globex_only' }, 422, 'ROLE_NOT_FOUND'],
      ['/api/inviteUsers', { inviteeEmail: 'new@globex.com', inviteeRole: 'GUEST' }, 422, 'DOMAIN_NOT_ALLOWED'],
      ['/api/inviteUsers', { inviteeEmail: 'new@acme.com', inviteeRole: 'globex_only' }, 422, 'INVALID_ROLE'],
      ['/api/deleteApiToken', { apiTokenId: globexKey!.id }, 422, 'API_KEY_NOT_FOUND'],
      ['/api/removeUser', { email: 'gia@globex.com', accountId: globex.accountId }, 422, 'USER_NOT_FOUND'],
    ]
    for (const [url, body, status, code] of attempts) {
      const res = await t.post(url, acme.adminKey, body)
      assert.equal(res.statusCode, status, `${url} ${res.body}`)
      assert.equal(json(res).code, code, `${url} ${res.body}`)
    }
    assert.deepEqual(await snapshot(), before)
    assert.equal(
      (await t.post('/api/getTeamData', globex.adminKey)).statusCode,
      200,
      "Globex's key still works",
    )
  })

  it("answers the same for another account's member as for an email that exists nowhere", async () => {
    for (const url of ['/api/removeUser', '/api/makeAdmin']) {
      const theirs = await t.post(url, acme.adminKey, { email: 'gia@globex.com', userRole: 'GUEST' })
      const nobody = await t.post(url, acme.adminKey, { email: 'nobody@globex.com', userRole: 'GUEST' })
      // Both reach the lookup and are refused by it (two equal rate-limit answers would not do).
      assert.equal(theirs.statusCode, 422, theirs.body)
      assert.equal(json(theirs).code, 'USER_NOT_FOUND')
      assert.equal(theirs.body, nobody.body)
    }
  })

  it('acts with the role the person holds in the key’s account, not their highest role', async () => {
    for (const url of [
      '/api/removeUser',
      '/api/makeAdmin',
      '/api/createCustomRole',
      '/api/getAuditLogs',
      '/api/inviteUsers',
    ]) {
      assert.equal((await t.post(url, bothInAcme, { email: 'ada@acme.com' })).statusCode, 403, url)
    }
  })

  it("never shows the other account's members, invitations, roles or audit entries", async () => {
    const seen = JSON.stringify([
      json(await t.post('/api/getTeamData', acme.adminKey)),
      json(await t.post('/api/getCustomRoles', acme.adminKey)),
      json(await t.post('/api/getAuditLogs', acme.adminKey, { limit: 200 })),
    ])
    for (const secret of ['gia@globex.com', 'pending@globex.com', 'GLOBEX_ONLY', 'gus@globex.com'])
      assert.ok(!seen.includes(secret), secret)
  })
})
