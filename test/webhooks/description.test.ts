import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { FAST_ENV } from './setup.ts'

const URL_ = 'http://127.0.0.1:9/hook'
const REFUSED = {
  actionErrors: ['Descriptions cannot contain control characters (line breaks, tabs, escape sequences).'],
  code: 'WEBHOOK_DESCRIPTION_CONTROLS',
}
/** Each differs from the control, "Billing sync", by one control character. */
const WITH_CONTROLS = [
  'Billing\u0000sync',
  'Billing \u001b[31msync',
  'Billing\nsync',
  'Billing\r\nsync',
  'Billing\tsync',
  'Billing\u007fsync',
  'Billing\u2028sync',
]

describe('webhook descriptions refuse control characters, through the API and the CLI', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }
  let env: Record<string, string>

  before(async () => {
    t = await startTestApp({ env: FAST_ENV })
    acme = await t.account('Acme', ['acme.com'])
    env = { ...FAST_ENV, DATABASE_URL: t.testDb.url }
  })
  after(() => t.close())

  const descriptions = async () =>
    json(await t.post('/api/fetchWebhooks', acme.adminKey)).webhooks.map((w: any) => w.description)

  it('refuses them in addWebhook with 422, adding nothing', async () => {
    const ok = await t.post('/api/addWebhook', acme.adminKey, { url: URL_, description: 'Billing sync' })
    assert.equal(ok.statusCode, 200, ok.body)
    for (const description of WITH_CONTROLS) {
      const res = await t.post('/api/addWebhook', acme.adminKey, { url: URL_, description })
      assert.equal(res.statusCode, 422, JSON.stringify(description))
      assert.deepEqual(json(res), REFUSED)
    }
    assert.deepEqual(await descriptions(), ['Billing sync'])
    // Spaces around it are trimmed, as before: a trailing line break is not part of the note.
    const trimmed = await t.post('/api/addWebhook', acme.adminKey, { url: URL_, description: ' Ops\n' })
    assert.equal(trimmed.statusCode, 200, trimmed.body)
    assert.deepEqual(await descriptions(), ['Billing sync', 'Ops'])
    await t.post('/api/deleteWebhook', acme.adminKey, { id: json(trimmed).id })
  })

  it('refuses them in updateWebhook with 422, leaving the description as it was', async () => {
    const [hook] = json(await t.post('/api/fetchWebhooks', acme.adminKey)).webhooks
    const ok = await t.post('/api/updateWebhook', acme.adminKey, {
      id: hook.id,
      description: 'Billing sync 2',
    })
    assert.equal(ok.statusCode, 200, ok.body)
    for (const description of WITH_CONTROLS) {
      const res = await t.post('/api/updateWebhook', acme.adminKey, { id: hook.id, description })
      assert.equal(res.statusCode, 422, JSON.stringify(description))
      assert.deepEqual(json(res), REFUSED)
    }
    assert.deepEqual(await descriptions(), ['Billing sync 2'])
  })

  it('refuses them in roster webhook create --description, exit 1 with the code', async () => {
    const create = (description: string) =>
      roster(
        [
          'webhook',
          'create',
          '--account',
          String(acme.accountId),
          '--url',
          URL_,
          '--description',
          description,
          '--json',
        ],
        env,
      )
    const ok = await create('Billing sync 3')
    assert.equal(ok.code, 0, ok.stderr)
    for (const description of ['Billing \u001b[31msync', 'Billing\nsync']) {
      const res = await create(description)
      assert.equal(res.code, 1, JSON.stringify(description))
      assert.equal(res.stdout, '')
      assert.equal(res.stderr, `roster: ${REFUSED.actionErrors[0]} (${REFUSED.code})\n`)
    }
    assert.deepEqual(await descriptions(), ['Billing sync 2', 'Billing sync 3'])
  })
})
