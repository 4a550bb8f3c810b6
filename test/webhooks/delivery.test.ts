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
  // An attempt may last a minute here: had the other endpoint to wait for it, waitFor's 30 s
  // would run out first.
  let t: TestApp
  const receivers: Receiver[] = []
  before(async () => {
    t = await startWebhookApp({ WEBHOOK_TIMEOUT_MS: '60000' })
  })
  after(async () => {
    await t.close()
    await Promise.all(receivers.map((r) => r.close().catch(() => {})))
  })

  /** An account with two endpoints: the slow one's receiver keeps its answers back until released. */
  async function slowAndOther(domain: string, events?: string[]) {
    const account = await t.account(domain, [domain])
    const [slow, other] = [await startReceiver(), await startReceiver()]
    receivers.push(slow, other)
    const add = async (url: string) =>
      json(await t.post('/api/addWebhook', account.adminKey, { url, ...(events ? { events } : {}) }))
        .id as number
    const [slowId, otherId] = [await add(slow.url), await add(other.url)]
    const deliveries = async (webhookId: number) =>
      json(await t.post('/api/fetchWebhookDeliveries', account.adminKey, { webhookId })).deliveries as any[]
    slow.hold()
    return { account, slow, other, slowId, otherId, deliveries }
  }

  it("holds up only its own endpoint's events, for as long as its attempt may last", async () => {
    const { account, slow, slowId, otherId, deliveries } = await slowAndOther('test.acme.com')
    const sendTest = (id: number) => t.post('/api/sendTestWebhook', account.adminKey, { id })
    await sendTest(slowId)
    await slow.waitFor(() => slow.received.length === 1, 'the slow attempt under way')
    await sendTest(otherId)
    await waitFor(async () => (await deliveries(otherId))[0]?.status === 'delivered', 'the other delivered')
    // Meanwhile the slow endpoint's attempt is still waiting for its answer.
    const [held] = await deliveries(slowId)
    assert.deepEqual([held.status, held.lastError, slow.received.length], ['pending', null, 1])
    slow.release()
    await waitFor(async () => (await deliveries(slowId))[0]?.status === 'delivered', 'the slow delivered')
  })

  it("holds another endpoint's events of a change up for a moment, once, then not at all", async () => {
    const { account, slow, other, slowId, otherId, deliveries } = await slowAndOther('events.acme.com', [
      'invitation.created',
    ])
    const invited = (r: { json: any }) => r.json.data.email as string
    // Three events in one transaction: each endpoint is sent them as one run, straight away. The
    // other endpoint's is written once the slow one has had half a second.
    const first = ['a@events.acme.com', 'b@events.acme.com', 'c@events.acme.com']
    const bulk = await t.post('/api/inviteUsersBulk', account.adminKey, {
      invitations: first.map((inviteeEmail) => ({ inviteeEmail, inviteeRole: 'GUEST' })),
    })
    assert.equal(bulk.statusCode, 200, bulk.body)
    await slow.waitFor(() => slow.received.length === 1, 'the slow attempt under way')
    await other.waitFor(() => other.accepted.length === 3, 'the other endpoint sent the same events')
    // The slow run's first attempt still waits for its answer, the rest of the run behind it.
    assert.deepEqual(
      (await deliveries(slowId)).map((d) => [d.type, d.status, d.attempts]),
      [
        ['invitation.created', 'pending', 0],
        ['invitation.created', 'pending', 0],
        ['invitation.created', 'pending', 1],
      ],
    )
    // A later change goes to the other endpoint at once; the slow one's waits behind the run.
    const later = await t.post('/api/inviteUsers', account.adminKey, {
      inviteeEmail: 'd@events.acme.com',
      inviteeRole: 'GUEST',
    })
    assert.equal(later.statusCode, 200, later.body)
    await other.waitFor(() => other.accepted.length === 4, 'the next event to the other endpoint')
    assert.equal(slow.received.length, 1)
    slow.release()
    await waitFor(
      async () => (await deliveries(slowId)).filter((d) => d.status === 'delivered').length === 4,
      'all four delivered to the slow endpoint',
    )
    const all = [...first, 'd@events.acme.com']
    assert.deepEqual(slow.accepted.map(invited), all)
    assert.deepEqual(other.accepted.map(invited), all)
    assert.deepEqual(
      (await deliveries(otherId)).map((d) => [d.status, d.attempts]),
      all.map(() => ['delivered', 1]),
    )
  })
})

describe('webhook delivery: sent straight from the audit log', () => {
  it('sends a batch whose lease lapsed again with the same webhook-ids, and writes it once', async () => {
    const receiver = await startReceiver()
    // a's worker sends each change straight away; b, on the same database, runs passes by hand on
    // a clock of its own, as far ahead as it is told. An attempt may last a minute, so that a's
    // waits for its answer for as long as the test needs.
    const env = { ...FAST_ENV, WEBHOOK_TIMEOUT_MS: '60000' }
    const a = await startWebhookApp(env)
    let ahead = 0
    const clock = Object.assign(() => Date.now() + ahead, { advance: (ms: number) => void (ahead += ms) })
    const b = await startTestApp({ env, testDb: a.testDb, clock })
    try {
      const acme = await a.account('Acme', ['acme.com'])
      const added = await a.post('/api/addWebhook', acme.adminKey, {
        url: receiver.url,
        events: ['custom_role.created'],
      })
      assert.equal(added.statusCode, 200, added.body)
      receiver.hold()
      const created = await a.post('/api/createCustomRole', acme.adminKey, {
        roleName: 'r1',
        baseRole: 'GUEST',
      })
      assert.equal(created.statusCode, 200)
      await receiver.waitFor(() => receiver.received.length === 1, "a's attempt")
      // a holds the log's position while it waits for the answer. On b's clock a's lease lapses
      // (as a worker's that died would): b takes the batch over and sends it again.
      b.clock.advance(3 * 60_000 + 2 * 5000 + 1)
      const passB = b.services.webhookDeliveries.deliverDue()
      // The batch is sent again: by b, or (b's pass slower than a's half second of waiting) by a
      // from the row b wrote or the run a wrote as claimed. Which one is the machine's speed.
      await receiver.waitFor(() => receiver.received.length === 2, 'the second attempt')
      receiver.release()
      await passB
      // a's first answer came too late to be written: whatever a did with it is over once a stops.
      await a.close({ keepDatabase: true })
      assert.equal(receiver.received[1]!.id, receiver.received[0]!.id)
      const log = json(await b.post('/api/fetchWebhookDeliveries', acme.adminKey, {})).deliveries as any[]
      assert.deepEqual(
        log.map((d) => [d.eventId, d.status, d.lastStatusCode]),
        [[receiver.received[0]!.id, 'delivered', 200]],
      )
    } finally {
      await a.close({ keepDatabase: true }).catch(() => {})
      await b.close()
      await receiver.close()
    }
  })
})
