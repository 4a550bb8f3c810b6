import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, testClock, type TestApp } from '../helpers/app.ts'

describe('POST /api/getTeamData', () => {
  let t: TestApp
  let admin: string
  let accountId: number
  const clock = testClock(Date.UTC(2026, 10, 27))

  before(async () => {
    t = await startTestApp({ clock, env: { INVITE_TTL: '3600' } })
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('answers a bare array with the exact member shape', async () => {
    const res = await t.post('/api/getTeamData', admin)
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /application\/json/)
    const body = json(res)
    assert.ok(Array.isArray(body))
    assert.deepEqual(body, [{ id: 1, login: 'ada@acme.com', name: 'Ada', role: 'ADMIN' }])
  })

  it('accepts an empty body, {}, and no content type at all', async () => {
    for (const res of [
      await t.post('/api/getTeamData', admin, ''),
      await t.post('/api/getTeamData', admin, {}),
      await t.server.inject({ method: 'POST', url: '/api/getTeamData', headers: { 'x-api-key': admin } }),
      await t.post('/api/getTeamData', admin, { unknown: 'field', accountId: 999 }),
    ]) {
      assert.equal(res.statusCode, 200)
      assert.equal(json<any[]>(res).length, 1)
    }
  })

  it('lists members by id, then invitations by creation, with the invitation shape', async () => {
    const zed = await t.member(accountId, 'zed@acme.com', 'GUEST', 'Zed')
    const bob = await t.member(accountId, 'bob@acme.com', 'DEVELOPER', 'Bob')
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'second@acme.com', inviteeRole: 'MEMBER' })
    clock.advance(1000)
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'alpha@acme.com', inviteeRole: 'GUEST' })
    const body = json<any[]>(await t.post('/api/getTeamData', admin))
    assert.deepEqual(
      body.map((i) => i.login),
      ['ada@acme.com', 'zed@acme.com', 'bob@acme.com', 'second@acme.com', 'alpha@acme.com'],
    )
    assert.ok(zed.userId < bob.userId)
    const inv = body[3]
    assert.equal(inv.id, 1, "an invitation's id is the inviter's user id")
    assert.equal(inv.name, '-')
    assert.equal(inv.role, 'Invitation sent for MEMBER')
    assert.equal(inv.isInvitation, true)
    assert.equal(body[0].isInvitation, undefined)
  })

  it('no longer lists an invitation once it has expired', async () => {
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'late@acme.com', inviteeRole: 'GUEST' })
    assert.ok(json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'late@acme.com'))
    clock.advance(3600 * 1000 + 1)
    assert.ok(!json<any[]>(await t.post('/api/getTeamData', admin)).some((i) => i.login === 'late@acme.com'))
  })

  it('never lists an email twice when a pending invitee becomes a member', async () => {
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'twice@acme.com', inviteeRole: 'GUEST' })
    await t.member(accountId, 'twice@acme.com', 'GUEST')
    const entries = json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => i.login === 'twice@acme.com')
    assert.equal(entries.length, 1)
    assert.equal(entries[0].isInvitation, undefined)
  })

  it('shows a custom role by its custom name', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'Auditor', baseRole: 'GUEST' })
    await t.member(accountId, 'aud@acme.com', 'auditor')
    const entry = json<any[]>(await t.post('/api/getTeamData', admin)).find((i) => i.login === 'aud@acme.com')
    assert.equal(entry.role, 'AUDITOR')
  })

  it('answers getRoleHierarchy with the caller hierarchy as a bare array', async () => {
    const dev = await t.member(accountId, 'dev2@acme.com', 'DEVELOPER')
    assert.deepEqual(json(await t.post('/api/getRoleHierarchy', admin)), ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'])
    assert.deepEqual(json(await t.post('/api/getRoleHierarchy', dev.key)), ['DEVELOPER', 'GUEST'])
  })
})
