import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('the audit log', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('records every change with actor, target, key, IP and user agent, newest first', async () => {
    await t.post(
      '/api/inviteUsers',
      admin,
      { inviteeEmail: 'bob@acme.com', inviteeRole: 'GUEST' },
      { 'user-agent': 'curl/8' },
    )
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'bob@acme.com', inviteeRole: 'MEMBER' })
    await t.post('/api/removeUser', admin, { email: 'bob@acme.com' })
    await t.member(accountId, 'kim@acme.com', 'GUEST')
    await t.post('/api/makeAdmin', admin, { email: 'kim@acme.com', userRole: 'DEVELOPER' })
    await t.post('/api/createCustomRole', admin, { roleName: 'qa', baseRole: 'GUEST' })
    await t.post('/api/deleteCustomRole', admin, { roleName: 'qa' })
    await t.post('/api/removeUser', admin, { email: 'kim@acme.com' })

    const { auditLogs, nextBefore } = json(await t.post('/api/getAuditLogs', admin, { limit: 100 }))
    assert.equal(nextBefore, null)
    assert.deepEqual(
      auditLogs.map((e: any) => e.action),
      [
        'member.remove',
        // kim's key, ended with her membership (bob, invited only, had none).
        'api_key.revoke',
        'custom_role.delete',
        'custom_role.create',
        'member.role_change',
        'api_key.create',
        'member.add',
        'invitation.cancel',
        'invitation.replace',
        'invitation.create',
        'api_key.create',
        'account.create',
      ],
    )
    const invite = auditLogs.find((e: any) => e.action === 'invitation.create')
    assert.equal(invite.actorEmail, 'ada@acme.com')
    assert.equal(typeof invite.actorApiKeyId, 'number')
    assert.equal(invite.target, 'bob@acme.com')
    assert.equal(invite.userAgent, 'curl/8')
    assert.equal(invite.ip, '127.0.0.1')
    assert.deepEqual(auditLogs.find((e: any) => e.action === 'member.role_change').details, {
      from: 'GUEST',
      to: 'DEVELOPER',
    })
  })

  it('pages with limit and before', async () => {
    const first = json(await t.post('/api/getAuditLogs', admin, { limit: 3 }))
    assert.equal(first.auditLogs.length, 3)
    const second = json(await t.post('/api/getAuditLogs', admin, { limit: 3, before: first.nextBefore }))
    assert.ok(second.auditLogs.every((e: any) => e.id < first.auditLogs[2].id))
  })

  it('records nothing for a refused request', async () => {
    const count = async () => json(await t.post('/api/getAuditLogs', admin, { limit: 200 })).auditLogs.length
    const before = await count()
    // Each refused by the rule it names, each one property away from a request that is recorded.
    const outside = await t.post('/api/inviteUsers', admin, {
      inviteeEmail: 'x@evil.com',
      inviteeRole: 'GUEST',
    })
    assert.equal(outside.statusCode, 422, outside.body)
    assert.equal(json(outside).code, 'DOMAIN_NOT_ALLOWED')
    const ghost = await t.post('/api/removeUser', admin, { email: 'ghost@acme.com' })
    assert.equal(ghost.statusCode, 422, ghost.body)
    assert.equal(json(ghost).code, 'USER_NOT_FOUND')
    assert.equal(await count(), before)
    // The controls are recorded: the count can move.
    assert.equal(
      (await t.post('/api/inviteUsers', admin, { inviteeEmail: 'x@acme.com', inviteeRole: 'GUEST' }))
        .statusCode,
      200,
    )
    assert.equal((await t.post('/api/removeUser', admin, { email: 'x@acme.com' })).statusCode, 200)
    assert.equal(await count(), before + 2)
  })

  it('is for ADMINs only and stays within the account', async () => {
    const member = await t.member(accountId, 'mia@acme.com', 'MEMBER')
    assert.equal((await t.post('/api/getAuditLogs', member.key)).statusCode, 403)
    const other = await t.account('Other', ['other.io'], 'o@other.io')
    const theirs = json(await t.post('/api/getAuditLogs', other.adminKey)).auditLogs
    assert.ok(theirs.every((e: any) => !String(e.target).endsWith('@acme.com')))
  })

  it('refuses a bad limit', async () => {
    for (const limit of [0, 201, 'ten', -1]) {
      assert.equal((await t.post('/api/getAuditLogs', admin, { limit })).statusCode, 422, String(limit))
    }
  })
})
