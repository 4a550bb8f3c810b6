import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, type TestApp } from '../helpers/app.ts'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts'
import { startWebhookApp } from './setup.ts'

const PASSWORD = 'tangerine-octopus-41'
const ORIGIN = 'http://localhost:8080'

describe('webhook events: every change that commits is delivered, signed per Standard Webhooks', () => {
  let t: TestApp
  let receiver: Receiver
  let acme: { accountId: number; adminKey: string }
  let secret: string
  let cookie: string

  before(async () => {
    receiver = await startReceiver()
    t = await startWebhookApp()
    acme = await t.account('Acme', ['acme.com'])
    await t.password('ada@acme.com', PASSWORD)
    cookie = await t.login('ada@acme.com', PASSWORD)
    const res = await t.post('/api/addWebhook', acme.adminKey, {
      url: `${receiver.url}/hook`,
      description: 'all events',
    })
    assert.equal(res.statusCode, 200, res.body)
    secret = json(res).secret
  })
  after(async () => {
    await t.close()
    await receiver.close()
  })

  /** Waits for the next event of this type, verifies its signature and returns its payload. */
  async function next(type: string) {
    await receiver.waitFor(() => receiver.received.some((r) => r.json.type === type), type)
    const r = receiver.received.find((x) => x.json.type === type)!
    receiver.received.splice(receiver.received.indexOf(r), 1)
    const verified = receiver.verify(r, secret) as any
    assert.equal(r.contentType, 'application/json')
    assert.match(r.userAgent ?? '', /^Roster-Webhooks\//)
    assert.match(r.id, /^msg_/)
    assert.ok(Math.abs(Number(r.timestamp) - Date.now() / 1000) < 120)
    assert.equal(verified.type, type)
    assert.ok(!Number.isNaN(Date.parse(verified.timestamp)))
    assert.ok(!/whsec_|signupInvitationCode|password|hash/i.test(r.body), r.body)
    return verified
  }

  it('answers the secret once, as whsec_ plus base64 of 24 random bytes, and never lists it', async () => {
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/)
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 24)
    const list = json(await t.post('/api/fetchWebhooks', acme.adminKey))
    assert.equal(list.webhooks.length, 1)
    assert.deepEqual(Object.keys(list.webhooks[0]).sort(), [
      'createdAt',
      'description',
      'disabled',
      'disabledReason',
      'events',
      'id',
      'url',
    ])
    assert.ok(!JSON.stringify(list).includes('whsec_'))
  })

  it('sends invitation.created, then invitation.accepted and member.added when the invitee accepts', async () => {
    const res = await t.post('/api/inviteUsers', acme.adminKey, {
      inviteeEmail: 'bob@acme.com',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(res.statusCode, 200, res.body)
    const created = await next('invitation.created')
    assert.deepEqual(created.data, {
      accountId: acme.accountId,
      email: 'bob@acme.com',
      role: 'DEVELOPER',
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
    const link = new URL(json(res).finalInviteCode)
    const accepted = await t.post(
      '/api/acceptInvitation',
      undefined,
      {
        signupInvitationCode: link.searchParams.get('signupInvitationCode'),
        signupEmailId: 'bob@acme.com',
        name: 'Bob',
        password: PASSWORD,
      },
      { origin: ORIGIN },
    )
    assert.equal(accepted.statusCode, 200, accepted.body)
    const acc = await next('invitation.accepted')
    assert.equal(acc.data.email, 'bob@acme.com')
    assert.equal(acc.data.role, 'DEVELOPER')
    assert.equal(typeof acc.data.userId, 'number')
    assert.deepEqual(acc.data.actor, { type: 'user', email: 'bob@acme.com' })
    const added = await next('member.added')
    assert.deepEqual(added.data, {
      accountId: acme.accountId,
      email: 'bob@acme.com',
      userId: acc.data.userId,
      role: 'DEVELOPER',
      actor: { type: 'user', email: 'bob@acme.com' },
    })
  })

  it('sends member.role_changed with the previous role, and member.removed', async () => {
    assert.equal(
      (await t.post('/api/makeAdmin', acme.adminKey, { email: 'bob@acme.com', userRole: 'MEMBER' }))
        .statusCode,
      200,
    )
    const changed = await next('member.role_changed')
    assert.deepEqual(
      { ...changed.data, userId: typeof changed.data.userId },
      {
        accountId: acme.accountId,
        email: 'bob@acme.com',
        userId: 'number',
        role: 'MEMBER',
        previousRole: 'DEVELOPER',
        actor: { type: 'api_key', email: 'ada@acme.com' },
      },
    )
    assert.equal((await t.post('/api/removeUser', acme.adminKey, { email: 'bob@acme.com' })).statusCode, 200)
    const removed = await next('member.removed')
    assert.deepEqual(removed.data, {
      accountId: acme.accountId,
      email: 'bob@acme.com',
      userId: changed.data.userId,
      role: 'MEMBER',
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
  })

  it('sends invitation.revoked when a pending invitation is cancelled', async () => {
    assert.equal(
      (await t.post('/api/inviteUsers', acme.adminKey, { inviteeEmail: 'cy@acme.com', inviteeRole: 'GUEST' }))
        .statusCode,
      200,
    )
    await next('invitation.created')
    assert.equal((await t.post('/api/removeUser', acme.adminKey, { email: 'cy@acme.com' })).statusCode, 200)
    const revoked = await next('invitation.revoked')
    assert.deepEqual(revoked.data, {
      accountId: acme.accountId,
      email: 'cy@acme.com',
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
  })

  it('sends custom_role.created and custom_role.deleted', async () => {
    assert.equal(
      (await t.post('/api/createCustomRole', acme.adminKey, { roleName: 'qa', baseRole: 'GUEST' }))
        .statusCode,
      200,
    )
    const created = await next('custom_role.created')
    assert.deepEqual(created.data, {
      accountId: acme.accountId,
      name: 'QA',
      baseRole: 'GUEST',
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
    assert.equal((await t.post('/api/deleteCustomRole', acme.adminKey, { roleName: 'qa' })).statusCode, 200)
    const deleted = await next('custom_role.deleted')
    assert.deepEqual(deleted.data, {
      accountId: acme.accountId,
      name: 'QA',
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
  })

  it('sends api_key.created and api_key.revoked from the web session, never the key', async () => {
    const res = await t.browser('/api/addApiToken', cookie, { name: 'ci' })
    assert.equal(res.statusCode, 200, res.body)
    const token = json(res).apiTokenList[0]
    const created = await next('api_key.created')
    assert.deepEqual(created.data, {
      accountId: acme.accountId,
      apiKeyId: token.id,
      name: 'ci',
      userId: created.data.userId,
      actor: { type: 'user', email: 'ada@acme.com' },
    })
    assert.ok(!JSON.stringify(created).includes(token.key))
    assert.equal((await t.browser('/api/deleteApiToken', cookie, { apiTokenId: token.id })).statusCode, 200)
    const revoked = await next('api_key.revoked')
    assert.deepEqual(revoked.data, {
      accountId: acme.accountId,
      apiKeyId: token.id,
      actor: { type: 'user', email: 'ada@acme.com' },
    })
  })

  it('sends member.added for a member added by the operator (CLI service), as the system', async () => {
    await t.services.accounts.addUser({ accountId: acme.accountId, email: 'dan@acme.com', role: 'GUEST' })
    const added = await next('member.added')
    assert.deepEqual(
      { ...added.data, userId: typeof added.data.userId },
      {
        accountId: acme.accountId,
        email: 'dan@acme.com',
        userId: 'number',
        role: 'GUEST',
        actor: { type: 'system' },
      },
    )
  })

  it('sends webhook.test on request, to that endpoint only', async () => {
    const hooks = json(await t.post('/api/fetchWebhooks', acme.adminKey)).webhooks
    const res = await t.post('/api/sendTestWebhook', acme.adminKey, { id: hooks[0].id })
    assert.equal(res.statusCode, 200, res.body)
    const test = await next('webhook.test')
    assert.deepEqual(test.data, {
      accountId: acme.accountId,
      webhookId: hooks[0].id,
      actor: { type: 'api_key', email: 'ada@acme.com' },
    })
  })

  it('refuses a test send to a disabled endpoint rather than answer queued for an event never sent', async () => {
    const other = await startReceiver()
    try {
      const id = json(await t.post('/api/addWebhook', acme.adminKey, { url: other.url })).id
      assert.equal(
        (await t.post('/api/updateWebhook', acme.adminKey, { id, disabled: true })).statusCode,
        200,
      )
      const refused = await t.post('/api/sendTestWebhook', acme.adminKey, { id })
      assert.equal(refused.statusCode, 409, refused.body)
      assert.deepEqual(json(refused), {
        actionErrors: ['This webhook is disabled; enable it to send a test.'],
        code: 'WEBHOOK_DISABLED',
      })
      const log = await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { webhookId: id })
      assert.deepEqual(json(log).deliveries, [])
      // The control: the same endpoint enabled again takes the test and receives it.
      assert.equal(
        (await t.post('/api/updateWebhook', acme.adminKey, { id, disabled: false })).statusCode,
        200,
      )
      assert.equal((await t.post('/api/sendTestWebhook', acme.adminKey, { id })).statusCode, 200)
      await other.waitFor(() => other.received.length === 1, 'the test event')
      assert.equal(other.received[0]!.json.type, 'webhook.test')
      assert.equal((await t.post('/api/deleteWebhook', acme.adminKey, { id })).statusCode, 200)
    } finally {
      await other.close()
    }
  })

  it('writes no event for a change that is refused and rolls back', async () => {
    // Removing the last ADMIN fails inside the transaction: nothing of it commits.
    const before = await t.post('/api/fetchWebhookDeliveries', acme.adminKey, {})
    const count = json(before).deliveries.length
    const refused = await t.post('/api/makeAdmin', acme.adminKey, {
      email: 'ada@acme.com',
      userRole: 'MEMBER',
    })
    assert.equal(refused.statusCode, 422)
    // A control change after it: its event arrives, and nothing came before it.
    assert.equal(
      (await t.post('/api/createCustomRole', acme.adminKey, { roleName: 'ops', baseRole: 'GUEST' }))
        .statusCode,
      200,
    )
    await next('custom_role.created')
    assert.equal(receiver.received.length, 0, JSON.stringify(receiver.received.map((r) => r.json.type)))
    assert.equal(
      json(await t.post('/api/fetchWebhookDeliveries', acme.adminKey, {})).deliveries.length,
      count + 1,
    )
  })

  it('sends only the subscribed types to an endpoint with an events list', async () => {
    const other = await startReceiver()
    try {
      const res = await t.post('/api/addWebhook', acme.adminKey, {
        url: other.url,
        events: ['custom_role.deleted'],
      })
      assert.equal(res.statusCode, 200, res.body)
      await t.post('/api/deleteCustomRole', acme.adminKey, { roleName: 'ops' })
      await next('custom_role.deleted')
      await other.waitFor(() => other.received.length === 1, 'the subscribed event')
      assert.equal(other.received[0]!.json.type, 'custom_role.deleted')
      other.verify(other.received[0]!, json(res).secret)
      assert.equal(
        json(await t.post('/api/deleteWebhook', acme.adminKey, { id: json(res).id })).deleted,
        true,
      )
    } finally {
      await other.close()
    }
  })

  it('refuses an unknown event type with 422 and names it', async () => {
    const ok = await t.post('/api/addWebhook', acme.adminKey, { url: receiver.url, events: ['member.added'] })
    assert.equal(ok.statusCode, 200)
    const res = await t.post('/api/addWebhook', acme.adminKey, {
      url: receiver.url,
      events: ['member.added', 'member.exploded'],
    })
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), {
      actionErrors: ['Unknown event type: member.exploded'],
      code: 'UNKNOWN_EVENT_TYPE',
    })
    await t.post('/api/deleteWebhook', acme.adminKey, { id: json(ok).id })
  })

  it('refuses webhook management to a MEMBER', async () => {
    const { key } = await t.member(acme.accountId, 'mo@acme.com', 'MEMBER')
    // Drain the member.added and api_key.created events this arrangement made.
    await next('member.added')
    await next('api_key.created')
    const res = await t.post('/api/fetchWebhooks', key)
    assert.equal(res.statusCode, 403)
  })
})
