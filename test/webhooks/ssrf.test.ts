import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV, realClock, startWebhookApp } from './setup.ts'

const NOT_ALLOWED = { actionErrors: ['Webhook URL is not allowed.'], code: 'WEBHOOK_URL_NOT_ALLOWED' }
// A public address, given literally so the control needs no DNS.
const PUBLIC = 'http://93.184.215.14/hook'

describe('webhook URLs: no internal targets (SSRF), https unless allowed', () => {
  let strict: TestApp
  let acme: { accountId: number; adminKey: string }

  before(async () => {
    strict = await startTestApp({ env: { WEBHOOK_ALLOW_HTTP: '1' }, clock: realClock })
    acme = await strict.account('Acme', ['acme.com'])
  })
  after(() => strict.close())

  const add = (url: string) => strict.post('/api/addWebhook', acme.adminKey, { url })

  it('accepts a public address (the control)', async () => {
    const res = await add(PUBLIC)
    assert.equal(res.statusCode, 200, res.body)
  })

  it('accepts a public IPv6 address (the control of the tunnelled ones)', async () => {
    const res = await add('http://[2606:4700:4700::1111]/hook')
    assert.equal(res.statusCode, 200, res.body)
  })

  for (const [name, url] of [
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['a private 10/8 address', 'http://10.0.0.1/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['a 6to4 address carrying loopback', 'http://[2002:7f00:1::1]/hook'],
    ['a Teredo address carrying loopback', 'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook'],
    ['an IPv4-translated loopback', 'http://[::ffff:0:7f00:1]/hook'],
    ['a local-use NAT64 address', 'http://[64:ff9b:1::7f00:1]/hook'],
    ['CGNAT', 'http://100.64.0.1/hook'],
    ['the unspecified address', 'http://0.0.0.0/hook'],
    ['a name resolving to loopback', 'http://localhost/hook'],
  ] as const) {
    it(`refuses ${name} at creation with 422`, async () => {
      const res = await add(url)
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), NOT_ALLOWED)
    })
  }

  it('refuses a URL with credentials in it', async () => {
    const res = await add('http://user:pw@93.184.215.14/hook')
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), NOT_ALLOWED)
  })

  it('refuses changing an endpoint to an internal address', async () => {
    const { id } = json(await add(PUBLIC))
    const res = await strict.post('/api/updateWebhook', acme.adminKey, { id, url: 'http://192.168.1.1/' })
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), NOT_ALLOWED)
  })

  it('accepts only https:// when WEBHOOK_ALLOW_HTTP is not set', async () => {
    const httpsOnly = await startTestApp({ clock: realClock })
    try {
      const { adminKey } = await httpsOnly.account('Beta', ['beta.com'])
      const ok = await httpsOnly.post('/api/addWebhook', adminKey, { url: 'https://93.184.215.14/hook' })
      assert.equal(ok.statusCode, 200, ok.body)
      const res = await httpsOnly.post('/api/addWebhook', adminKey, { url: 'http://93.184.215.14/hook' })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), NOT_ALLOWED)
    } finally {
      await httpsOnly.close()
    }
  })
})

// Created where a setting allows the endpoint, delivered by an instance where it does not; each
// case turns off one setting only (the control: every delivery test, whose worker runs with both
// on, reaches this same kind of receiver).
for (const { check, off, why } of [
  {
    check: 'the address again at every attempt',
    off: { WEBHOOK_ALLOW_PRIVATE: '0' },
    why: 'as when a name that resolved to a public address at creation now resolves to loopback',
  },
  {
    check: 'the scheme again at every run',
    off: { WEBHOOK_ALLOW_HTTP: '0' },
    why: 'as when http: was allowed for a while and no longer is',
  },
]) {
  describe(`webhook delivery checks ${check}`, () => {
    let receiver: Receiver
    let lax: TestApp
    let guarded: TestApp

    before(async () => {
      receiver = await startReceiver()
      lax = await startTestApp({ env: { ...FAST_ENV }, clock: realClock })
      guarded = await startTestApp({
        env: { ...FAST_ENV, ...off },
        clock: realClock,
        testDb: lax.testDb,
        webhookWorker: true,
      })
    })
    after(async () => {
      await guarded.close({ keepDatabase: true })
      await lax.close()
      await receiver.close()
    })

    it(`fails the delivery with the refusal as its reason, and never connects (${why})`, async () => {
      const { adminKey } = await lax.account('Acme', ['acme.com'])
      const created = await lax.post('/api/addWebhook', adminKey, { url: receiver.url })
      assert.equal(created.statusCode, 200, created.body)
      const sent = await lax.post('/api/sendTestWebhook', adminKey, { id: json(created).id })
      assert.equal(sent.statusCode, 200)
      const log = async () =>
        json(await guarded.post('/api/fetchWebhookDeliveries', adminKey, {})).deliveries as any[]
      await waitFor(async () => (await log())[0]?.status === 'failed', 'the delivery to fail')
      const [d] = await log()
      assert.equal(d.lastError, 'Webhook URL is not allowed.')
      // At the first attempt: every later one would be refused alike (WEBHOOK_MAX_ATTEMPTS is 3 here).
      assert.equal(d.attempts, 1)
      assert.equal(receiver.received.length, 0)
    })
  })
}

// Keeps the fast-settings app used elsewhere honest: private targets work only when allowed.
describe('WEBHOOK_ALLOW_PRIVATE=1', () => {
  it('accepts a loopback receiver', async () => {
    const t = await startWebhookApp()
    try {
      const { adminKey } = await t.account('Acme', ['acme.com'])
      assert.equal(
        (await t.post('/api/addWebhook', adminKey, { url: 'http://127.0.0.1:9/hook' })).statusCode,
        200,
      )
    } finally {
      await t.close()
    }
  })
})
