/**
 * getTeamData is served from a per-account cache (src/team/team-list-cache.ts). These tests list
 * first, so that the listing is cached, then change the team in every way it can change, and
 * require the very next listing to show it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const PASSWORD = 'tangerine-octopus-41'
const ORIGIN = 'http://localhost:8080'

describe('getTeamData always shows the current team', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { INVITE_TTL: '3600' } })
  })
  after(() => t.close())

  const list = async (key: string) => {
    const res = await t.post('/api/getTeamData', key)
    assert.equal(res.statusCode, 200, res.body)
    return json<{ login: string; name: string; role: string; isInvitation?: true; emailStatus?: string }[]>(res)
  }
  const entry = async (key: string, login: string) => (await list(key)).find((i) => i.login === login)

  it('after an invitation, a re-invite, a cancel, a role change and a removal', async () => {
    const { accountId, adminKey } = await t.account('Fresh', ['fresh.io'], 'ada@fresh.io')
    await t.member(accountId, 'bob@fresh.io', 'GUEST', 'Bob')
    assert.equal((await entry(adminKey, 'bob@fresh.io'))?.role, 'GUEST')
    assert.equal(await entry(adminKey, 'new@fresh.io'), undefined)

    await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'new@fresh.io', inviteeRole: 'GUEST' })
    assert.equal((await entry(adminKey, 'new@fresh.io'))?.role, 'Invitation sent for GUEST')
    await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'new@fresh.io', inviteeRole: 'MEMBER' })
    assert.equal((await entry(adminKey, 'new@fresh.io'))?.role, 'Invitation sent for MEMBER')
    await t.post('/api/removeUser', adminKey, { email: 'new@fresh.io' })
    assert.equal(await entry(adminKey, 'new@fresh.io'), undefined)

    await t.post('/api/makeAdmin', adminKey, { email: 'bob@fresh.io', userRole: 'DEVELOPER' })
    assert.equal((await entry(adminKey, 'bob@fresh.io'))?.role, 'DEVELOPER')
    await t.post('/api/removeUser', adminKey, { email: 'bob@fresh.io' })
    assert.equal(await entry(adminKey, 'bob@fresh.io'), undefined)
  })

  it('after an operator adds a member (the CLI path)', async () => {
    const { accountId, adminKey } = await t.account('Ops', ['ops.io'], 'ada@ops.io')
    assert.equal((await list(adminKey)).length, 1)
    await t.services.accounts.addUser({ accountId, email: 'cli@ops.io', role: 'MEMBER', name: 'Cli' })
    assert.deepEqual(
      (await list(adminKey)).map((i) => i.login),
      ['ada@ops.io', 'cli@ops.io'],
    )
  })

  it('when an invitation expires, with nothing written', async () => {
    const { adminKey } = await t.account('Expiry', ['expiry.io'], 'ada@expiry.io')
    await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'soon@expiry.io', inviteeRole: 'GUEST' })
    assert.ok(await entry(adminKey, 'soon@expiry.io'))
    t.clock.advance(3599_000)
    assert.ok(await entry(adminKey, 'soon@expiry.io'))
    t.clock.advance(1_000)
    assert.equal(await entry(adminKey, 'soon@expiry.io'), undefined)
  })

  it('after the invitation email is delivered or fails', async () => {
    const { adminKey } = await t.account('Mail', ['mail.io'], 'ada@mail.io')
    await t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'x@mail.io', inviteeRole: 'GUEST' })
    assert.equal((await entry(adminKey, 'x@mail.io'))?.emailStatus, 'pending')
    // No SMTP_URL: the worker hands the message to the log transport, and says so.
    await t.services.outbox.deliverDue()
    assert.equal((await entry(adminKey, 'x@mail.io'))?.emailStatus, 'logged')
  })

  it("after an accepted invitation, also a new name in the member's other accounts", async () => {
    const first = await t.account('First', ['first.io'], 'ada@first.io')
    const second = await t.account('Second', ['first.io'], 'ada2@first.io')
    // Added by an operator without a password: they choose their name when they first accept.
    await t.services.accounts.addUser({ accountId: first.accountId, email: 'cy@first.io', role: 'GUEST', name: 'Placeholder' })
    assert.equal((await entry(first.adminKey, 'cy@first.io'))?.name, 'Placeholder')
    const invite = await t.post('/api/inviteUsers', second.adminKey, { inviteeEmail: 'cy@first.io', inviteeRole: 'GUEST' })
    const link = new URL(json(invite).finalInviteCode)
    assert.ok(await entry(second.adminKey, 'cy@first.io'))
    const accepted = await t.post(
      '/api/acceptInvitation',
      undefined,
      {
        signupInvitationCode: link.searchParams.get('signupInvitationCode'),
        signupEmailId: link.searchParams.get('signupEmailId'),
        name: 'Cy Real',
        password: PASSWORD,
      },
      { origin: ORIGIN },
    )
    assert.equal(accepted.statusCode, 200, accepted.body)
    const inSecond = await entry(second.adminKey, 'cy@first.io')
    assert.deepEqual([inSecond?.name, inSecond?.role, inSecond?.isInvitation], ['Cy Real', 'GUEST', undefined])
    assert.equal((await entry(first.adminKey, 'cy@first.io'))?.name, 'Cy Real')
  })
})
