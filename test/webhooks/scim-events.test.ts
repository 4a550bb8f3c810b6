/**
 * SCIM changes fire the same webhooks as the API, with the identity provider as the actor
 * (`{type: "scim"}`): an Okta/Entra-style request sequence against Roster, and a real HTTP
 * receiver that verifies every delivery with the `standardwebhooks` package.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, type TestApp } from '../helpers/app.ts'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts'
import { PATCH, USER, scimClient, scimToken, type Scim } from '../scim/helpers.ts'
import { startWebhookApp } from './setup.ts'

describe('webhook events for SCIM provisioning', () => {
  let t: TestApp
  let receiver: Receiver
  let scim: Scim
  let acme: { accountId: number; adminKey: string }
  let secret: string

  before(async () => {
    receiver = await startReceiver()
    t = await startWebhookApp()
    acme = await t.account('Acme', ['acme.com'])
    const res = await t.post('/api/addWebhook', acme.adminKey, { url: `${receiver.url}/hook` })
    assert.equal(res.statusCode, 200, res.body)
    secret = json(res).secret
    scim = scimClient(t, await scimToken(t, acme.accountId))
  })
  after(async () => {
    await t.close()
    await receiver.close()
  })

  it('sends member.added, member.role_changed and member.removed in order, signed, with the actor scim', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@acme.com',
      name: { givenName: 'Bob', familyName: 'Jones' },
      emails: [{ primary: true, value: 'bob@acme.com', type: 'work' }],
      active: true,
      groups: [],
    })
    assert.equal(created.statusCode, 201, created.body)
    const id = String(created.json.id)
    // Entra deactivates and reactivates with its capitalised form; suspension has no event type.
    const replaceActive = (value: string) => ({
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value }],
    })
    assert.equal((await scim('PATCH', `/Users/${id}`, replaceActive('False'))).statusCode, 200)
    assert.equal((await scim('PATCH', `/Users/${id}`, replaceActive('True'))).statusCode, 200)
    // Okta's group push: adding the user to the DEVELOPER group gives them that role.
    const pushed = await scim('PATCH', '/Groups/DEVELOPER', {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
    })
    assert.ok([200, 204].includes(pushed.statusCode), pushed.body)
    assert.equal((await scim('DELETE', `/Users/${id}`)).statusCode, 204)

    await receiver.waitFor(
      () => receiver.received.some((r) => r.json.type === 'member.removed'),
      'member.removed',
    )
    const events = receiver.received.map((r) => receiver.verify(r, secret))
    const bob = { accountId: acme.accountId, email: 'bob@acme.com', userId: Number(id) }
    const scimActor = { type: 'scim' }
    assert.deepEqual(
      events.map((e) => ({ type: e.type, data: e.data })),
      [
        { type: 'member.added', data: { ...bob, role: 'GUEST', actor: scimActor } },
        {
          type: 'member.role_changed',
          data: { ...bob, role: 'DEVELOPER', previousRole: 'GUEST', actor: scimActor },
        },
        { type: 'member.removed', data: { ...bob, role: 'DEVELOPER', actor: scimActor } },
      ],
    )
    assert.equal(new Set(receiver.received.map((r) => r.id)).size, 3, 'one webhook-id per event')
  })

  it('sends api_key.revoked for each key of a member suspended through SCIM, with the actor scim', async () => {
    const eve = await t.member(acme.accountId, 'eve@acme.com', 'MEMBER')
    await t.services.accounts.createApiKey({ accountId: acme.accountId, email: 'eve@acme.com' })
    const created = () =>
      receiver.received
        .map((r) => receiver.verify(r, secret))
        .filter((e) => e.type === 'api_key.created' && e.data.userId === eve.userId)
    await receiver.waitFor(() => created().length === 2, 'api_key.created twice')
    const keyIds = created()
      .map((e) => e.data.apiKeyId as number)
      .sort((a, b) => a - b)
    assert.equal((await t.post('/api/getTeamData', eve.key)).statusCode, 200)

    const suspended = await scim('PATCH', `/Users/${eve.userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    })
    assert.equal(suspended.statusCode, 200, suspended.body)
    assert.equal((await t.post('/api/getTeamData', eve.key)).statusCode, 401)

    const revoked = () =>
      receiver.received.map((r) => receiver.verify(r, secret)).filter((e) => e.type === 'api_key.revoked')
    await receiver.waitFor(() => revoked().length === 2, 'api_key.revoked twice')
    assert.deepEqual(
      revoked()
        .map((e) => e.data)
        .sort((a, b) => a.apiKeyId - b.apiKeyId),
      keyIds.map((apiKeyId) => ({ accountId: acme.accountId, apiKeyId, actor: { type: 'scim' } })),
    )
    const log = json(await t.post('/api/getAuditLogs', acme.adminKey, { limit: 50 })).auditLogs as {
      action: string
      target: string | null
      actorSystem: string | null
    }[]
    assert.deepEqual(
      log
        .filter((r) => r.action === 'api_key.revoke')
        .map((r) => [Number(r.target), r.actorSystem])
        .sort(([a], [b]) => Number(a) - Number(b)),
      keyIds.map((id) => [id, 'scim']),
    )
  })

  it('records the same changes in the audit log with the actor scim', async () => {
    const res = await t.post('/api/getAuditLogs', acme.adminKey, { limit: 50 })
    assert.equal(res.statusCode, 200, res.body)
    const rows = json(res).auditLogs as {
      action: string
      target: string | null
      actorSystem: string | null
    }[]
    const bobs = rows.filter((r) => r.target === 'bob@acme.com').map((r) => [r.action, r.actorSystem])
    assert.deepEqual(bobs.reverse(), [
      ['member.add', 'scim'],
      ['member.suspend', 'scim'],
      ['member.restore', 'scim'],
      ['member.role_change', 'scim'],
      ['member.remove', 'scim'],
    ])
  })
})
