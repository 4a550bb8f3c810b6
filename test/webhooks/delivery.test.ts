import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV, startWebhookApp } from './setup.ts'

describe('webhook delivery: retries, bounds, order, rotation, 410', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }
  const receivers: Receiver[] = []

  before(async () => {
    // Three attempts, 50 ms apart and doubling; one attempt lasts at most 1.5 s.
    t = await startWebhookApp()
    acme = await t.account('Acme', ['acme.com'])
  })
  after(async () => {
    await t.close()
    await Promise.all(receivers.map((r) => r.close().catch(() => {})))
  })

  async function endpoint(events?: string[]) {
    const receiver = await startReceiver()
    receivers.push(receiver)
    const res = await t.post('/api/addWebhook', acme.adminKey, {
      url: receiver.url,
      ...(events ? { events } : {}),
    })
    assert.equal(res.statusCode, 200, res.body)
    return { receiver, id: json(res).id as number, secret: json(res).secret as string }
  }
  const deliveries = async (webhookId: number) =>
    json(await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { webhookId })).deliveries as any[]
  const sendTest = async (id: number) =>
    assert.equal((await t.post('/api/sendTestWebhook', acme.adminKey, { id })).statusCode, 200)
  async function settled(webhookId: number, status: string, count = 1) {
    await waitFor(
      async () => (await deliveries(webhookId)).filter((d) => d.status === status).length >= count,
      `${count} ${status}`,
    )
    return deliveries(webhookId)
  }

  it('delivers an event written while the receiver was down once it is back, with the same webhook-id', async () => {
    const { receiver, id, secret } = await endpoint()
    await receiver.down()
    await sendTest(id)
    await waitFor(async () => (await deliveries(id))[0]?.lastError != null, 'a failed attempt')
    const during = (await deliveries(id))[0]
    assert.equal(during.status, 'pending')
    assert.equal(during.lastStatusCode, null)
    assert.ok(during.lastError)
    await receiver.reopen()
    const [d] = await settled(id, 'delivered')
    assert.equal(receiver.accepted.length, 1)
    assert.equal(receiver.accepted[0]!.id, d.eventId)
    receiver.verify(receiver.accepted[0]!, secret)
    assert.equal(d.lastStatusCode, 200)
  })

  it('marks a delivery failed after the last attempt when the receiver answers 500, and redelivers it on request', async () => {
    const { receiver, id, secret } = await endpoint()
    receiver.behaviour = { status: 500, body: 'boom' }
    await sendTest(id)
    const [d] = await settled(id, 'failed')
    assert.equal(d.attempts, 3)
    assert.equal(d.lastStatusCode, 500)
    assert.equal(d.lastResponse, 'boom')
    assert.equal(receiver.received.length, 3)
    assert.equal(new Set(receiver.received.map((r) => r.id)).size, 1)
    const failed = json(
      await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { status: 'failed', webhookId: id }),
    ).deliveries
    assert.equal(failed.length, 1)
    receiver.behaviour = { status: 204 }
    const res = await t.post('/api/redeliverWebhook', acme.adminKey, { deliveryId: d.id })
    assert.equal(res.statusCode, 200, res.body)
    const [again] = await settled(id, 'delivered')
    assert.equal(again.eventId, d.eventId)
    assert.equal(receiver.received.at(-1)!.id, d.eventId)
    receiver.verify(receiver.received.at(-1)!, secret)
  })

  it('gives a hanging receiver bounded attempts, then fails the delivery', async () => {
    const { receiver, id } = await endpoint()
    receiver.behaviour = 'hang'
    await sendTest(id)
    const [d] = await settled(id, 'failed')
    assert.equal(d.attempts, 3)
    assert.match(d.lastError, /no answer within 1500 ms/)
  })

  it('reads at most 4 KB of a 50 MB answer, and does not count a 3xx as delivered (no redirect followed)', async () => {
    const { receiver, id } = await endpoint()
    receiver.behaviour = 'huge'
    await sendTest(id)
    const [d] = await settled(id, 'delivered')
    assert.equal(d.lastResponse.length, 4096)
    receiver.behaviour = 'redirect'
    await sendTest(id)
    const after = await settled(id, 'failed')
    assert.equal(after[0].lastStatusCode, 307)
    // Only the endpoint itself was asked: the redirect target never was.
    assert.equal(receiver.received.length, 1 + 3)
  })

  it('delivers in commit order per endpoint: a later event waits while an earlier one is retried', async () => {
    const { receiver, id } = await endpoint(['custom_role.created'])
    receiver.behaviour = { status: 503 }
    for (const name of ['r1', 'r2', 'r3']) {
      assert.equal(
        (await t.post('/api/createCustomRole', acme.adminKey, { roleName: name, baseRole: 'GUEST' }))
          .statusCode,
        200,
      )
    }
    await waitFor(() => receiver.received.length >= 2, 'two attempts of the first')
    assert.deepEqual(new Set(receiver.received.map((r) => r.json.data.name)), new Set(['R1']))
    receiver.behaviour = { status: 200 }
    await settled(id, 'delivered', 3)
    assert.deepEqual(
      receiver.accepted.map((r) => r.json.data.name),
      ['R1', 'R2', 'R3'],
    )
  })

  it('signs with both secrets for 24 h after a rotation', async () => {
    const { receiver, id, secret } = await endpoint()
    const rotated = await t.post('/api/rotateWebhookSecret', acme.adminKey, { id })
    assert.equal(rotated.statusCode, 200)
    const fresh = json(rotated).secret
    assert.notEqual(fresh, secret)
    await sendTest(id)
    await settled(id, 'delivered')
    const r = receiver.accepted[0]!
    assert.equal(r.signature.split(' ').length, 2)
    receiver.verify(r, secret)
    receiver.verify(r, fresh)
  })

  it('disables the endpoint when the receiver answers 410 Gone, and sends nothing more until re-enabled', async () => {
    const { receiver, id } = await endpoint()
    receiver.behaviour = { status: 410 }
    await sendTest(id)
    const [d] = await settled(id, 'failed')
    assert.equal(d.attempts, 1)
    const hook = json(await t.post('/api/fetchWebhooks', acme.adminKey)).webhooks.find(
      (w: any) => w.id === id,
    )
    assert.equal(hook.disabled, true)
    // A disabled endpoint is not sent the account's events: the change commits, no delivery is queued.
    receiver.behaviour = { status: 200 }
    assert.equal(
      (await t.post('/api/createCustomRole', acme.adminKey, { roleName: 'gone', baseRole: 'GUEST' }))
        .statusCode,
      200,
    )
    assert.equal((await deliveries(id)).length, 1)
    assert.equal((await t.post('/api/updateWebhook', acme.adminKey, { id, disabled: false })).statusCode, 200)
    await sendTest(id)
    await settled(id, 'delivered')
  })
})

describe('webhook delivery: a backlog longer than one run', () => {
  it('is delivered whole and in order by the first pass after a restart, without waiting for the next poll', async () => {
    const receiver = await startReceiver()
    // Roster down for a while: 250 invitations, more than one run (200), are committed with no
    // worker running.
    const before = await startTestApp({ env: { ...FAST_ENV } })
    const acme = await before.account('Acme', ['acme.com'])
    const added = await before.post('/api/addWebhook', acme.adminKey, {
      url: receiver.url,
      events: ['invitation.created'],
    })
    assert.equal(added.statusCode, 200, added.body)
    const emails = Array.from({ length: 250 }, (_, i) => `p${String(i).padStart(3, '0')}@acme.com`)
    for (const inviteeEmail of emails) {
      const res = await before.post('/api/inviteUsers', acme.adminKey, { inviteeEmail, inviteeRole: 'GUEST' })
      assert.equal(res.statusCode, 200, res.body)
    }
    await before.close({ keepDatabase: true })
    // Back up with a poll an hour away: only the pass at start can deliver.
    const t = await startWebhookApp({ WEBHOOK_POLL_MS: '3600000' }, before.testDb)
    try {
      await receiver.waitFor(() => receiver.accepted.length >= emails.length, 'the whole backlog')
      assert.deepEqual(
        receiver.accepted.map((r) => r.json.data.email),
        emails,
      )
    } finally {
      await t.close()
      await receiver.close()
    }
  })
})

describe('webhook delivery: a claim lost mid-run', () => {
  it('settles nothing for the instance whose claim lapsed: the one that took the queue over owns it', async () => {
    const receiver = await startReceiver()
    // Two instances on one database, each pass run by hand, each with a clock of its own.
    const a = await startTestApp({ env: { ...FAST_ENV } })
    const b = await startTestApp({ env: { ...FAST_ENV }, testDb: a.testDb })
    try {
      const acme = await a.account('Acme', ['acme.com'])
      const added = await a.post('/api/addWebhook', acme.adminKey, {
        url: receiver.url,
        events: ['custom_role.created'],
      })
      assert.equal(added.statusCode, 200, added.body)
      for (const roleName of ['r1', 'r2'])
        assert.equal(
          (await a.post('/api/createCustomRole', acme.adminKey, { roleName, baseRole: 'GUEST' })).statusCode,
          200,
        )
      // a's first attempt is kept waiting for its answer, a 503...
      receiver.hold()
      receiver.behaviour = { status: 503 }
      const passA = a.services.webhookDeliveries.deliverDue()
      await receiver.waitFor(() => receiver.received.length === 1, "a's attempt")
      // ...while on b's clock a's claim lapses (3 × the 1.5 s timeout + 2 × 5 s of slack): b
      // takes the queue over, is answered 200 for both events and settles them, all before a
      // hears its answer.
      receiver.behaviour = { status: 200 }
      b.clock.advance(3 * 1500 + 2 * 5000 + 1)
      const passB = b.services.webhookDeliveries.deliverDue()
      await receiver.waitFor(() => receiver.received.length === 2, "b's first attempt")
      receiver.answerHeld(1)
      await receiver.waitFor(() => receiver.received.length === 3, "b's second attempt")
      receiver.answerHeld(2)
      assert.equal((await passB).sent, 2)
      receiver.release()
      await passA
      // a's late 503 changed nothing: b's outcomes stand, and nothing is left to send again.
      const log = json(await a.post('/api/fetchWebhookDeliveries', acme.adminKey, {})).deliveries as any[]
      assert.deepEqual(
        log.map((d) => [d.status, d.attempts, d.lastStatusCode]),
        [
          ['delivered', 1, 200],
          ['delivered', 2, 200],
        ],
      )
      assert.deepEqual(await a.services.webhookDeliveries.deliverDue(), { sent: 0, retrying: 0, failed: 0 })
      assert.deepEqual(
        receiver.accepted.map((r) => r.json.data.name),
        ['R1', 'R2'],
      )
    } finally {
      await b.close({ keepDatabase: true })
      await a.close()
      await receiver.close()
    }
  })
})

describe('webhook delivery: a receiver that does not answer', () => {
  it("holds up only its own endpoint's events, for as long as its attempt may last", async () => {
    // An attempt may last a minute here: had the other endpoint to wait for it, waitFor's 30 s
    // would run out first.
    const t = await startWebhookApp({ WEBHOOK_TIMEOUT_MS: '60000' })
    const slow = await startReceiver()
    const other = await startReceiver()
    try {
      const acme = await t.account('Acme', ['acme.com'])
      const add = async (url: string) =>
        json(await t.post('/api/addWebhook', acme.adminKey, { url })).id as number
      const [slowId, otherId] = [await add(slow.url), await add(other.url)]
      const deliveries = async (webhookId: number) =>
        json(await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { webhookId })).deliveries as any[]
      const sendTest = (id: number) => t.post('/api/sendTestWebhook', acme.adminKey, { id })
      slow.hold()
      await sendTest(slowId)
      await slow.waitFor(() => slow.received.length === 1, 'the slow attempt under way')
      await sendTest(otherId)
      await waitFor(async () => (await deliveries(otherId))[0]?.status === 'delivered', 'the other delivered')
      // Meanwhile the slow endpoint's attempt is still waiting for its answer.
      const [held] = await deliveries(slowId)
      assert.deepEqual([held.status, held.lastError, slow.received.length], ['pending', null, 1])
      slow.release()
      await waitFor(async () => (await deliveries(slowId))[0]?.status === 'delivered', 'the slow delivered')
    } finally {
      await t.close()
      await Promise.all([slow.close(), other.close()])
    }
  })
})
