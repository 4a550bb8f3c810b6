import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

// getTeamData's members are serialised by the database (the hot path); these pin the exact body.
describe('POST /api/getTeamData body', () => {
  let t: TestApp
  let admin: string
  let accountId: number
  let adminId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin, userId: adminId } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('answers exactly the members, by id, with names escaped as JSON, then pending invitations', async () => {
    const quoted = (await t.member(accountId, 'q@acme.com', 'DEVELOPER', 'Zoë "Q" \\ O\'Neil 🚀')).userId
    const other = (await t.member(accountId, 'b@acme.com', 'GUEST', 'Bo')).userId
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'new@acme.com', inviteeRole: 'MEMBER' })
    const res = await t.post('/api/getTeamData', admin)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    const body = json<any[]>(res)
    const invitation = body[3]
    assert.deepEqual(body, [
      { id: adminId, login: 'ada@acme.com', name: 'Ada', role: 'ADMIN' },
      { id: quoted, login: 'q@acme.com', name: 'Zoë "Q" \\ O\'Neil 🚀', role: 'DEVELOPER' },
      { id: other, login: 'b@acme.com', name: 'Bo', role: 'GUEST' },
      {
        id: adminId,
        login: 'new@acme.com',
        name: '-',
        role: 'Invitation sent for MEMBER',
        isInvitation: true,
        expiresAt: invitation.expiresAt,
        // Without SMTP_URL the message waits in the outbox (and is written to the log).
        emailStatus: 'pending',
      },
    ])
    assert.ok(!Number.isNaN(Date.parse(invitation.expiresAt)))
  })

  it('answers an array of members alone when nothing is pending', async () => {
    const fresh = await t.account('Solo', ['solo.com'])
    const body = json<any[]>(await t.post('/api/getTeamData', fresh.adminKey))
    assert.deepEqual(body, [{ id: fresh.userId, login: 'ada@solo.com', name: 'Ada', role: 'ADMIN' }])
  })
})
