import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { sample, scrape as scrapeWith } from '../helpers/metrics.ts'
import { freePort, startServerProcess } from '../helpers/server-process.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { startWebhookApp } from '../webhooks/setup.ts'

const TOKEN = 'metrics-token-0123456789'
const PASSWORD = 'tangerine-octopus-41'

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }

  const scrape = () => scrapeWith(t, TOKEN)

  before(async () => {
    t = await startTestApp({
      env: { METRICS_TOKEN: TOKEN, LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_WINDOW: '3600' },
    })
    acme = await t.account('Acme', ['acme.com'])
    await t.password('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('refuses a scrape without the token, or with another one, with 401', async () => {
    const none = await t.server.inject({ method: 'GET', url: '/metrics' })
    assert.equal(none.statusCode, 401)
    assert.equal(none.headers['www-authenticate'], 'Bearer')
    const wrong = await t.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    })
    assert.equal(wrong.statusCode, 401)
    const right = await t.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    assert.equal(right.statusCode, 200)
    assert.match(String(right.headers['content-type']), /^text\/plain; version=0\.0\.4/)
    assert.match(right.body, /^roster_process_cpu_user_seconds_total /m)
    // The scheme's name is case-insensitive (RFC 7235 §2.1); the token is not.
    const lower = await t.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `bearer ${TOKEN}` },
    })
    assert.equal(lower.statusCode, 200)
  })

  it('counts requests by route pattern, method and status, with their durations', async () => {
    const before = await scrape()
    const labels = { route: '/api/getTeamData', method: 'POST', status: '200' }
    for (let i = 0; i < 3; i++)
      assert.equal((await t.post('/api/getTeamData', acme.adminKey)).statusCode, 200)
    assert.equal((await t.post('/api/getTeamData', 'rst_not-a-key')).statusCode, 401)
    const after = await scrape()
    assert.equal(
      sample(after, 'roster_http_requests_total', labels) -
        sample(before, 'roster_http_requests_total', labels),
      3,
    )
    const refused = { ...labels, status: '401' }
    assert.equal(
      sample(after, 'roster_http_requests_total', refused) -
        sample(before, 'roster_http_requests_total', refused),
      1,
    )
    const count = { route: '/api/getTeamData', method: 'POST' }
    assert.equal(
      sample(after, 'roster_http_request_duration_seconds_count', count) -
        sample(before, 'roster_http_request_duration_seconds_count', count),
      4,
    )
  })

  it('labels an unknown URL as unmatched and never prints the raw URL', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/no/such/place-7f3a' })
    assert.equal(res.statusCode, 404)
    const text = await scrape()
    assert.ok(
      sample(text, 'roster_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }) >= 1,
    )
    assert.doesNotMatch(text, /place-7f3a/)
    assert.doesNotMatch(text, /ada@acme\.com/)
  })

  it('moves the outbox depth and the transaction histogram with an invitation', async () => {
    const before = await scrape()
    const res = await t.post('/api/inviteUsers', acme.adminKey, {
      inviteeEmail: 'bob@acme.com',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(res.statusCode, 200)
    const after = await scrape()
    const pending = { outbox: 'mail', status: 'pending' }
    assert.equal(
      sample(after, 'roster_outbox_messages', pending) - sample(before, 'roster_outbox_messages', pending),
      1,
    )
    assert.ok(sample(after, 'roster_outbox_oldest_pending_seconds', { outbox: 'mail' }) >= 0)
    const committed = { outcome: 'committed' }
    assert.ok(
      sample(after, 'roster_db_transaction_duration_seconds_count', committed) >
        sample(before, 'roster_db_transaction_duration_seconds_count', committed),
    )
    // One outbox pass: the message goes to the log (no SMTP_URL), an attempt counted as logged,
    // not as delivered to anyone.
    await t.services.outbox.deliverDue()
    const delivered = await scrape()
    const attempts = (result: string) =>
      sample(delivered, 'roster_delivery_attempts_total', { outbox: 'mail', result }) -
      sample(after, 'roster_delivery_attempts_total', { outbox: 'mail', result })
    assert.deepEqual([attempts('logged'), attempts('delivered')], [1, 0])
    assert.equal(sample(delivered, 'roster_outbox_messages', { outbox: 'mail', status: 'logged' }), 1)
    assert.equal(sample(delivered, 'roster_outbox_messages', { outbox: 'webhooks', status: 'pending' }), 0)
    const refusal = await t.post('/api/inviteUsers', acme.adminKey, {
      inviteeEmail: 'eve@evil.com',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(refusal.statusCode, 422)
    assert.equal(sample(await scrape(), 'roster_db_transaction_errors_total'), 0)
  })

  it('counts sign-ins by result, live sessions, and the sign-in limit as locked and rate-limited', async () => {
    const origin = { origin: 'http://localhost:8080' }
    const before = await scrape()
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: PASSWORD }, origin))
        .statusCode,
      200,
    )
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: 'wrong-password-1' }, origin))
        .statusCode,
      401,
    )
    const mid = await scrape()
    assert.equal(
      sample(mid, 'roster_sign_ins_total', { result: 'success' }) -
        sample(before, 'roster_sign_ins_total', { result: 'success' }),
      1,
    )
    assert.equal(
      sample(mid, 'roster_sign_ins_total', { result: 'failure' }) -
        sample(before, 'roster_sign_ins_total', { result: 'failure' }),
      1,
    )
    assert.equal(sample(mid, 'roster_sessions_active'), 1)
    // LOGIN_RATE_LIMIT is 3 an hour (a window no slow machine outlasts): the third attempt passes, the fourth is refused.
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: 'wrong-password-1' }, origin))
        .statusCode,
      401,
    )
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: PASSWORD }, origin))
        .statusCode,
      429,
    )
    const after = await scrape()
    assert.equal(sample(after, 'roster_sign_ins_total', { result: 'locked' }), 1)
    assert.equal(sample(after, 'roster_rate_limited_total', { route: '/api/login' }), 1)
  })
})

describe('GET /metrics without METRICS_TOKEN or METRICS_PORT', () => {
  it('is not served at all', async () => {
    const t = await startTestApp()
    try {
      const res = await t.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      assert.equal(res.statusCode, 404)
    } finally {
      await t.close()
    }
  })
})

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port only, without a token', async () => {
    const testDb = await createTestDatabase()
    const metricsPort = await freePort()
    const server = await startServerProcess({ DATABASE_URL: testDb.url, METRICS_PORT: String(metricsPort) })
    try {
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
      const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      assert.equal(own.status, 200)
      const text = await own.text()
      assert.ok(
        sample(text, 'roster_http_requests_total', { route: '/healthz', method: 'GET', status: '200' }) >= 1,
      )
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404)
    } finally {
      await server.stop()
      await testDb.drop()
    }
  })
})

describe('webhook deliveries in /metrics', () => {
  let t: TestApp
  let receiver: Receiver
  before(async () => {
    // Attempts may last long: the one held at the receiver below must not time out meanwhile.
    t = await startWebhookApp({ METRICS_TOKEN: TOKEN, WEBHOOK_TIMEOUT_MS: '60000' })
    receiver = await startReceiver()
  })
  after(async () => {
    await t.close()
    await receiver.close()
  })

  it('counts deliveries by status: pending while sent, failed after the last attempt, delivered once redelivered', async () => {
    const acme = await t.account('Acme', ['acme.com'])
    const added = await t.post('/api/addWebhook', acme.adminKey, { url: receiver.url })
    assert.equal(added.statusCode, 200, added.body)
    const id = JSON.parse(added.body).id as number
    const statusOf = async () => {
      const res = await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { webhookId: id })
      return JSON.parse(res.body).deliveries[0]?.status as string | undefined
    }
    // pending, sending, failed, delivered
    const counts = (text: string) =>
      ['pending', 'sending', 'failed', 'delivered'].map((status) =>
        sample(text, 'roster_outbox_messages', { outbox: 'webhooks', status }),
      )
    receiver.behaviour = { status: 500, body: 'boom' }
    // The first attempt's answer is held back: while it is under way, the delivery is pending (as
    // the API shows it), not missing from the gauge.
    receiver.hold()
    assert.equal((await t.post('/api/sendTestWebhook', acme.adminKey, { id })).statusCode, 200)
    await receiver.waitFor(() => receiver.received.length === 1, 'the first attempt')
    const sending = await scrapeWith(t, TOKEN)
    receiver.release()
    assert.deepEqual(counts(sending), [1, 0, 0, 0])
    await waitFor(async () => (await statusOf()) === 'failed', 'the delivery to fail')
    const failed = await scrapeWith(t, TOKEN)
    assert.deepEqual(counts(failed), [0, 0, 1, 0])
    receiver.behaviour = { status: 204 }
    const deliveryId = JSON.parse(
      (await t.post('/api/fetchWebhookDeliveries', acme.adminKey, { webhookId: id })).body,
    ).deliveries[0].id as number
    assert.equal((await t.post('/api/redeliverWebhook', acme.adminKey, { deliveryId })).statusCode, 200)
    await waitFor(async () => (await statusOf()) === 'delivered', 'the redelivery')
    const delivered = await scrapeWith(t, TOKEN)
    assert.deepEqual(counts(delivered), [0, 0, 0, 1])
  })
})
