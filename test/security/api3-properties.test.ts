// OWASP API3:2023 Broken Object Property Level Authorization: extra properties are ignored, and
// no answer carries a hash, a secret or another account's data.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt } from 'jose'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const extras = {
  accountId: 999,
  role: 'ADMIN',
  inviterId: 999,
  expiry: 1,
  expires_at: 1,
  isAdmin: true,
  userId: 1,
  id: 1,
  isOwner: true,
}

describe('API3 object property level authorization', () => {
  let t: TestApp
  let admin: string
  let accountId: number
  let member: string

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account())
    await t.account('Other', ['other.io'], 'o@other.io')
    member = (await t.member(accountId, 'mia@acme.com', 'MEMBER')).key
  })
  after(() => t.close())

  it('ignores accountId, role, inviterId, expiry and isAdmin in an invitation', async () => {
    const res = await t.post('/api/inviteUsers', member, {
      inviteeEmail: 'x@acme.com',
      inviteeRole: 'GUEST',
      ...extras,
    })
    assert.equal(res.statusCode, 200)
    assert.equal(json(res).inviteeRole, 'GUEST')
    const claims = decodeJwt(new URL(json(res).finalInviteCode).searchParams.get('signupInvitationCode')!)
    assert.ok(claims.exp! - claims.iat! === 604800)
    const inv = json<any[]>(await t.post('/api/getTeamData', admin)).find((i) => i.login === 'x@acme.com')
    assert.equal(inv.role, 'Invitation sent for GUEST')
    assert.notEqual(inv.id, 999)
  })

  it('ignores extra properties on every other endpoint', async () => {
    await t.member(accountId, 'tgt@acme.com', 'GUEST')
    assert.equal(
      (await t.post('/api/makeAdmin', admin, { email: 'tgt@acme.com', userRole: 'DEVELOPER', ...extras }))
        .statusCode,
      200,
    )
    const team = json<any[]>(await t.post('/api/getTeamData', admin))
    assert.equal(team.find((i) => i.login === 'tgt@acme.com').role, 'DEVELOPER')
    assert.equal(
      (await t.post('/api/createCustomRole', admin, { roleName: 'p', baseRole: 'GUEST', ...extras }))
        .statusCode,
      200,
    )
    const role = json(await t.post('/api/getCustomRoles', admin)).roles.find((r: any) => r.name === 'P')
    assert.equal(role.baseRole, 'GUEST')
    // A MEMBER cannot promote themself through extra fields.
    assert.equal((await t.post('/api/getTeamData', member, extras)).statusCode, 200)
    assert.deepEqual(json(await t.post('/api/getRoleHierarchy', member, extras)), [
      'MEMBER',
      'DEVELOPER',
      'GUEST',
    ])
  })

  it('answers with allow-listed properties only: no hash, secret or internal column', async () => {
    const bodies = await Promise.all(
      ['/api/getTeamData', '/api/getCustomRoles', '/api/getAuditLogs', '/api/getRoleHierarchy'].map(
        async (url) => {
          const res = await t.post(url, admin)
          // The lists themselves, not an error answer that would trivially carry none of these.
          assert.equal(res.statusCode, 200, `${url}: ${res.body}`)
          return res.body
        },
      ),
    )
    for (const body of bodies) {
      assert.doesNotMatch(body, /key_hash|password|secret|token_id|account_id|"o@other\.io"/)
    }
  })
})
