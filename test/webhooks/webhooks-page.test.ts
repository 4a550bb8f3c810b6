/**
 * The Webhooks page in chromium, against a real local receiver that verifies every request with
 * the `standardwebhooks` package: the secret shown once, a test event, a failed delivery and its
 * redelivery, disabling, and a MEMBER kept out. The steps build on each other, on one Roster.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { json } from '../helpers/app.ts'
import { signIn, startBrowserRig, type BrowserRig } from '../helpers/browser.ts'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV } from './setup.ts'

const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
const MEG = { email: 'meg@acme.com', password: 'marmalade-giraffe-77' }
// Deliveries wait on real time; a loaded machine renders slowly, so attempts get room.
const ENV = { ...FAST_ENV, WEBHOOK_TIMEOUT_MS: '5000' }

describe('the Webhooks page', { concurrency: false }, () => {
  let rig: BrowserRig
  let receiver: Receiver
  let page: Page
  let accountId: number
  let adminKey: string
  let url: string
  let secret = ''

  async function signInToTeam(p: Page, who: { email: string; password: string }) {
    await signIn(p, who)
    await p.getByRole('heading', { name: 'Team', exact: true }).waitFor()
  }
  const endpointRow = () =>
    page.getByRole('table', { name: 'Endpoints' }).getByRole('row').filter({ hasText: url })
  /** The log's row of one event (its webhook-id), once it shows this status. */
  const logRow = (eventId: string, status: string) =>
    page
      .getByRole('table', { name: `Deliveries to ${url}` })
      .getByRole('row')
      .filter({ hasText: eventId })
      .filter({ hasText: status })

  before(async () => {
    receiver = await startReceiver()
    url = `${receiver.url}/hook`
    rig = await startBrowserRig({ env: ENV, webhookWorker: true })
    ;({ accountId, adminKey } = await rig.app.account('Acme', ['acme.com'], ADA.email))
    await rig.app.password(ADA.email, ADA.password)
    page = await (await rig.context()).newPage()
    await signInToTeam(page, ADA)
  })
  after(async () => {
    await rig.close()
    await receiver.close()
  })

  it('adds an endpoint and shows its signing secret once', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhooks' }).click()
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor()
    await page.getByText('No endpoints yet.').waitFor()
    await page.getByLabel('Endpoint URL').fill('ftp://hooks.acme.com/roster')
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    // The server's own message, beside the field.
    await page.getByText('Webhook URL is not allowed.').waitFor()
    assert.equal(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid'), 'true')

    await page.getByLabel('Endpoint URL').fill(url)
    await page.getByLabel('member.added').check()
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    const shown = page.getByLabel(`Signing secret for ${url}`)
    await shown.waitFor()
    secret = await shown.inputValue()
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/)
    await page.getByText('Copy the signing secret now: it is shown only once.').waitFor()
    assert.match(await endpointRow().innerText(), /member\.added[\s\S]*Enabled/)
    await rig.screenshot(page, 'webhooks-01-created')

    await page.reload()
    await endpointRow().waitFor()
    assert.equal(await page.getByLabel(`Signing secret for ${url}`).count(), 0)
    assert.ok(!(await page.content()).includes(secret))
  })

  it('sends a test event that the receiver verifies, and logs it delivered with 200', async () => {
    await page.getByRole('button', { name: `Send a test event to ${url}` }).click()
    await page.getByText(`Queued a test event for ${url}.`).waitFor()
    await receiver.waitFor(() => receiver.accepted.length === 1, 'the test event')
    const got = receiver.accepted[0]!
    const event = receiver.verify(got, secret) as { type: string; data: { accountId: number } }
    assert.equal(event.type, 'webhook.test')
    assert.equal(event.data.accountId, accountId)
    await logRow(got.id, 'delivered').waitFor()
    assert.match(await logRow(got.id, 'delivered').innerText(), /webhook\.test[\s\S]*delivered\s+200\s+1/)
    await rig.screenshot(page, 'webhooks-02-delivered')
  })

  it('shows a delivery the receiver refuses as failed, and redelivers it once the receiver answers 200', async () => {
    receiver.behaviour = { status: 500, body: 'down for maintenance' }
    const before = receiver.received.length
    await page.getByRole('button', { name: `Send a test event to ${url}` }).click()
    await receiver.waitFor(() => receiver.received.length === before + 3, 'three refused attempts')
    const refused = receiver.received[before]!
    await logRow(refused.id, 'failed').waitFor()
    assert.match(await logRow(refused.id, 'failed').innerText(), /failed\s+500[\s\S]*\s3\s/)

    receiver.behaviour = { status: 200 }
    await page.getByRole('button', { name: `Redeliver webhook.test ${refused.id}` }).click()
    await page.getByText('Queued webhook.test again.').waitFor()
    await receiver.waitFor(() => receiver.accepted.some((r) => r.id === refused.id), 'the redelivery')
    const again = receiver.accepted.find((r) => r.id === refused.id)!
    assert.equal((receiver.verify(again, secret) as { type: string }).type, 'webhook.test')
    await logRow(refused.id, 'delivered').waitFor()
    assert.match(await logRow(refused.id, 'delivered').innerText(), /delivered\s+200/)
  })

  it('sends nothing while the endpoint is disabled, and again once it is enabled', async () => {
    await page.getByRole('button', { name: `Disable ${url}` }).click()
    await page.getByText(`Disabled ${url}.`).waitFor()
    assert.match(await endpointRow().innerText(), /Disabled/)
    assert.equal(await page.getByRole('button', { name: `Send a test event to ${url}` }).isDisabled(), true)
    const count = receiver.received.length
    // Events are written in the change's transaction: once it has committed, none is queued.
    await rig.app.member(accountId, MEG.email, 'MEMBER')
    const log = await rig.app.post('/api/fetchWebhookDeliveries', adminKey)
    assert.equal(log.statusCode, 200)
    assert.equal(json<{ deliveries: unknown[] }>(log).deliveries.length, 2)

    await page.getByRole('button', { name: `Enable ${url}` }).click()
    await page.getByText(`Enabled ${url}.`).waitFor()
    await rig.app.member(accountId, 'kit@acme.com', 'GUEST')
    await receiver.waitFor(
      () => receiver.accepted.some((r) => r.json.type === 'member.added'),
      'member.added',
    )
    const added = receiver.received.slice(count).map((r) => receiver.verify(r, secret) as any)
    assert.deepEqual(
      added.map((e) => [e.type, e.data.email]),
      [['member.added', 'kit@acme.com']],
    )
  })

  it('rotates the signing secret, shown once; for a while deliveries verify with the new and the old', async () => {
    await page.getByRole('button', { name: `Rotate the signing secret of ${url}` }).click()
    const shown = page.getByLabel(`Signing secret for ${url}`)
    await shown.waitFor()
    const rotated = await shown.inputValue()
    assert.match(rotated, /^whsec_/)
    assert.notEqual(rotated, secret)
    const before = receiver.accepted.length
    await page.getByRole('button', { name: `Send a test event to ${url}` }).click()
    await receiver.waitFor(() => receiver.accepted.length === before + 1, 'the test event after rotation')
    const got = receiver.accepted[before]!
    assert.equal((receiver.verify(got, rotated) as { type: string }).type, 'webhook.test')
    assert.equal((receiver.verify(got, secret) as { type: string }).type, 'webhook.test')
  })

  it('shows a MEMBER no Webhooks link, and refuses them the page and its calls', async () => {
    await rig.app.password(MEG.email, MEG.password)
    const meg = await (await rig.context()).newPage()
    await signInToTeam(meg, MEG)
    const links = await meg.getByRole('navigation', { name: 'Settings' }).getByRole('link').allInnerTexts()
    assert.deepEqual(links, ['Team', 'API keys', 'Security'])
    await meg.goto('/webhooks')
    await meg.getByRole('heading', { name: 'Page not found', exact: true }).waitFor()
    assert.equal(await meg.getByRole('heading', { name: 'Webhooks' }).count(), 0)
    // The same call the page makes, from the page, with Meg's session.
    const answer = await meg.evaluate(async () => {
      const r = await fetch('/api/fetchWebhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      return [r.status, ((await r.json()) as { code: string }).code]
    })
    assert.deepEqual(answer, [403, 'FORBIDDEN_ROLE'])
  })
})
