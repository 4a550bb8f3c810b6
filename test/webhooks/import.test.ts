/**
 * The operator's bulk import (`roster user import --csv`) makes its member.added events through
 * the same audit/outbox path as every other write: one per added row, none for a refused row.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { json, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV, startWebhookApp } from './setup.ts'

describe('roster user import --csv and webhooks', () => {
  let testDb: TestDatabase
  let t: TestApp
  let receiver: Receiver
  let dir: string

  before(async () => {
    testDb = await createTestDatabase()
    t = await startWebhookApp({}, testDb)
    receiver = await startReceiver()
    dir = mkdtempSync(join(tmpdir(), 'roster-import-'))
  })
  after(async () => {
    await t.close()
    await receiver.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends one verified member.added per imported row and none for refused rows', async () => {
    const { accountId, adminKey } = await t.account('Acme', ['acme.com'])
    const res = await t.post('/api/addWebhook', adminKey, {
      url: `${receiver.url}/hook`,
      events: ['member.added'],
    })
    assert.equal(res.statusCode, 200, res.body)
    const { id: webhookId, secret } = json<{ id: number; secret: string }>(res)
    // A member added before the import: its event comes first, and is not the import's.
    await t.member(accountId, 'old@acme.com', 'MEMBER')
    await receiver.waitFor(() => receiver.accepted.length === 1, 'the member.added of old@acme.com')

    const csv = join(dir, 'people.csv')
    writeFileSync(
      csv,
      'email,name,role\n' +
        'ann@acme.com,Ann,GUEST\n' +
        'not-an-email,Nobody,GUEST\n' +
        'bob@acme.com,Bob,\n' +
        'ann@acme.com,Ann Again,GUEST\n' +
        'kim@acme.com,Kim,KING\n' +
        'old@acme.com,Old,GUEST\n' +
        'cy@acme.com,Cy,DEVELOPER\n',
    )
    const run = await roster(['user', 'import', '--account', String(accountId), '--csv', csv, '--json'], {
      ...FAST_ENV,
      DATABASE_URL: testDb.url,
    })
    assert.equal(run.code, 1, run.stderr) // some rows were refused
    const out = JSON.parse(run.stdout) as { added: number; results: { ok: boolean; code?: string }[] }
    assert.equal(out.added, 3)
    assert.deepEqual(
      out.results.filter((r) => !r.ok).map((r) => r.code),
      ['INVALID_EMAIL', 'DUPLICATE_IN_BATCH', 'INVALID_ROLE', 'ALREADY_MEMBER'],
    )

    await receiver.waitFor(() => receiver.accepted.length >= 4, 'the imported members’ events')
    // Every event the import wrote has settled, so no late extra one can arrive after the count.
    await waitFor(async () => {
      const log = json<{ deliveries: { status: string }[] }>(
        await t.post('/api/fetchWebhookDeliveries', adminKey, { webhookId }),
      )
      return log.deliveries.length === 4 && log.deliveries.every((d) => d.status === 'delivered')
    }, 'every delivery settled')
    const imported = receiver.accepted.slice(1).map((r) => receiver.verify(r, secret) as any)
    assert.deepEqual(
      imported.map((e) => [e.type, e.data.email, e.data.role, e.data.actor.type, typeof e.data.userId]),
      [
        ['member.added', 'ann@acme.com', 'GUEST', 'system', 'number'],
        ['member.added', 'bob@acme.com', 'MEMBER', 'system', 'number'],
        ['member.added', 'cy@acme.com', 'DEVELOPER', 'system', 'number'],
      ],
    )
    assert.equal(new Set(receiver.accepted.map((r) => r.id)).size, 4)
  })
})
