/**
 * Events reach endpoints from the committed audit log (src/webhooks/webhook.fan-out.ts): an
 * endpoint gets only what happened after it was created, and on PostgreSQL an event whose
 * transaction commits after a later one is waited for, never skipped.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { json, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts'
import { startWebhookApp } from './setup.ts'

describe('webhook fan-out from the audit log', () => {
  let t: TestApp
  let receiver: Receiver

  before(async () => {
    receiver = await startReceiver()
    t = await startWebhookApp()
  })
  after(async () => {
    await t.close()
    await receiver.close()
  })

  const roleNames = () => receiver.accepted.map((r) => r.json.data.name as string)

  async function createRole(adminKey: string, roleName: string) {
    const res = await t.post('/api/createCustomRole', adminKey, { roleName, baseRole: 'GUEST' })
    assert.equal(res.statusCode, 200, res.body)
  }

  it('sends an endpoint the changes made after it was created, not those before', async () => {
    const acme = await t.account('Acme', ['acme.com'])
    await createRole(acme.adminKey, 'before-hook')
    const added = await t.post('/api/addWebhook', acme.adminKey, {
      url: `${receiver.url}/hook`,
      events: ['custom_role.created'],
    })
    assert.equal(added.statusCode, 200, added.body)
    await createRole(acme.adminKey, 'after-hook')
    await receiver.waitFor(() => roleNames().includes('AFTER-HOOK'), 'the event after the endpoint')
    // Per endpoint events go in commit order: had the earlier one been sent, it would be first.
    assert.deepEqual(roleNames(), ['AFTER-HOOK'])
    const log = json(await t.post('/api/fetchWebhookDeliveries', acme.adminKey, {})).deliveries as any[]
    assert.deepEqual(
      log.map((d) => d.type),
      ['custom_role.created'],
    )
  })

  it(
    'PostgreSQL: waits for an event whose transaction is still running, and sends it with the later one',
    { skip: testEngine !== 'postgres' },
    async () => {
      receiver.accepted.length = 0
      const globex = await t.account('Globex', ['globex.com'])
      const added = await t.post('/api/addWebhook', globex.adminKey, {
        url: `${receiver.url}/hook`,
        events: ['custom_role.created'],
      })
      assert.equal(added.statusCode, 200, added.body)
      // Another instance's change, slow to commit: its audit row takes an id (and a transaction
      // id) before the API's change below, and commits after it.
      const slow = new pg.Client({ connectionString: t.testDb.url })
      await slow.connect()
      try {
        await slow.query('begin')
        await slow.query(
          `insert into audit_events (account_id, action, target, details, created_at)
           values ($1, 'custom_role.create', 'SLOW', '{"baseRole":"GUEST"}', $2)`,
          [globex.accountId, t.clock()],
        )
        await createRole(globex.adminKey, 'quick')
        // The quick one committed, but passing it would pass the slow one's place in the log. The
        // log is listed after a fan-out that waited for the slow one as long as a listing does
        // (5 s), so this looks at what the fan-out did, not at how fast it went.
        const log = await t.post('/api/fetchWebhookDeliveries', globex.adminKey, {})
        assert.equal(log.statusCode, 200, log.body)
        assert.deepEqual(json(log).deliveries, [])
        assert.deepEqual(roleNames(), [])
        await slow.query('commit')
      } finally {
        await slow.end()
      }
      await receiver.waitFor(() => roleNames().length === 2, 'both events')
      assert.deepEqual(roleNames().sort(), ['QUICK', 'SLOW'])
    },
  )
})
