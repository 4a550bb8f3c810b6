/**
 * README's receiver example is a real file (examples/webhook-receiver.mjs) shown verbatim in the
 * README. This starts that file as a process, has Roster deliver to it, and checks it accepts a
 * correctly signed request and rejects the same request with its body changed.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { json, type TestApp } from '../helpers/app.ts'
import { freePort } from '../helpers/server-process.ts'
import { waitFor } from '../helpers/webhook-receiver.ts'
import { startWebhookApp } from './setup.ts'

const EXAMPLE = 'examples/webhook-receiver.mjs'

describe('the README webhook receiver example', () => {
  let t: TestApp
  let receiver: ChildProcess
  let output = ''
  let url: string
  let secret: string
  let adminKey: string
  let webhookId: number

  before(async () => {
    t = await startWebhookApp()
    ;({ adminKey } = await t.account('Acme', ['acme.com']))
    const port = await freePort()
    url = `http://127.0.0.1:${port}/`
    const res = await t.post('/api/addWebhook', adminKey, { url })
    assert.equal(res.statusCode, 200, res.body)
    ;({ id: webhookId, secret } = json<{ id: number; secret: string }>(res))
    receiver = spawn(process.execPath, [EXAMPLE], {
      env: { ...process.env, ROSTER_WEBHOOK_SECRET: secret, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    receiver.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitFor(() => output.includes(`listening on ${port}`), 'the example to listen')
  })
  after(async () => {
    receiver?.kill()
    await t.close()
  })

  it('is the very code the README shows', () => {
    assert.ok(readFileSync('README.md', 'utf8').includes('```js\n' + readFileSync(EXAMPLE, 'utf8') + '```\n'))
  })

  it('accepts an event Roster delivers, which Roster logs as delivered with its 204', async () => {
    const res = await t.post('/api/sendTestWebhook', adminKey, { id: webhookId })
    assert.equal(res.statusCode, 200, res.body)
    let delivery: { eventId: string; status: string; lastStatusCode: number | null } | undefined
    await waitFor(async () => {
      const log = await t.post('/api/fetchWebhookDeliveries', adminKey, { webhookId })
      delivery = json<{ deliveries: NonNullable<typeof delivery>[] }>(log).deliveries[0]
      return delivery?.status !== 'pending'
    }, 'the delivery to settle')
    assert.equal(delivery?.status, 'delivered')
    assert.equal(delivery?.lastStatusCode, 204)
    const eventId = delivery.eventId
    await waitFor(() => output.includes(`accepted ${eventId} webhook.test`), 'the event accepted')
  })

  it('rejects a signed request whose body was changed, and accepts the same request unchanged', async () => {
    const body = JSON.stringify({
      type: 'member.added',
      timestamp: new Date().toISOString(),
      data: { accountId: 1 },
    })
    const send = (payload: string, id: string) => {
      const now = new Date()
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, now, body),
      }
      return fetch(url, { method: 'POST', headers, body: payload })
    }
    assert.equal((await send(body, 'msg_control')).status, 204)
    // Its log line travels through a pipe: it may come just after the answer.
    await waitFor(() => output.includes('accepted msg_control member.added'), 'the control accepted')
    assert.equal((await send(body.replace('"accountId":1', '"accountId":2'), 'msg_tampered')).status, 400)
    await waitFor(() => output.includes('rejected msg_tampered'), 'the tampered request rejected')
    assert.ok(!output.includes('accepted msg_tampered'), output)
  })
})
