/**
 * Webhooks across processes: the CLI, a server killed with SIGKILL mid-stream, and two
 * instances sharing one database.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { expectInvitationsCheckpointed } from '../helpers/sqlite-file.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV, realClock } from './setup.ts'

describe('webhooks across processes', () => {
  let testDb: TestDatabase
  let operator: TestApp
  let receiver: Receiver
  let env: Record<string, string>

  before(async () => {
    testDb = await createTestDatabase()
    operator = await startTestApp({ testDb, clock: realClock })
    receiver = await startReceiver()
    env = { ...FAST_ENV, DATABASE_URL: testDb.url, WEBHOOK_MAX_ATTEMPTS: '50' }
  })
  after(async () => {
    await operator.close({ keepDatabase: true })
    await testDb.drop()
    await receiver.close()
  })

  async function cliCreate(accountId: number, events: string) {
    const res = await roster(
      [
        'webhook',
        'create',
        '--account',
        String(accountId),
        '--url',
        receiver.url,
        '--events',
        events,
        '--json',
      ],
      env,
    )
    assert.equal(res.code, 0, res.stderr)
    return JSON.parse(res.stdout) as { id: number; secret: string }
  }

  it('creates, lists and shows deliveries through the CLI', async () => {
    const { accountId } = await operator.account('Cli', ['cli.test'])
    const created = await cliCreate(accountId, 'member.added')
    assert.deepEqual(Object.keys(created).sort(), ['id', 'secret'])
    assert.match(created.secret, /^whsec_/)
    const list = await roster(['webhook', 'list', '--account', String(accountId), '--json'], env)
    assert.equal(list.code, 0, list.stderr)
    assert.deepEqual(
      JSON.parse(list.stdout).webhooks.map((w: any) => [w.id, w.url, w.events, w.disabled]),
      [[created.id, `${receiver.url}/`, ['member.added'], false]],
    )
    await operator.services.accounts.addUser({ accountId, email: 'eve@cli.test', role: 'GUEST' })
    const pending = await roster(
      ['webhook', 'deliveries', '--account', String(accountId), '--status', 'pending', '--json'],
      env,
    )
    assert.equal(pending.code, 0, pending.stderr)
    assert.deepEqual(
      JSON.parse(pending.stdout).deliveries.map((d: any) => d.type),
      ['member.added'],
    )
    const bad = await roster(
      [
        'webhook',
        'create',
        '--account',
        String(accountId),
        '--url',
        receiver.url,
        '--events',
        'nope',
        '--json',
      ],
      env,
    )
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /Unknown event type: nope/)
    await operator.services.webhooks.operator.list(accountId)
  })

  it('delivers every committed event after a server is killed with SIGKILL mid-stream', async () => {
    const { accountId, adminKey } = await operator.account('Kill', ['kill.test'])
    const { secret } = await cliCreate(accountId, 'custom_role.created')
    receiver.delayMs = 40
    const a = await startServerProcess(env)
    const committed: string[] = []
    for (let i = 0; i < 60; i++) {
      const name = `K${i}`
      const res = await a.post('/api/createCustomRole', adminKey, { roleName: name, baseRole: 'GUEST' })
      assert.equal(res.status, 200)
      committed.push(name)
      if (i >= 10 && receiver.accepted.some((r) => r.json.data.accountId === accountId)) break
    }
    a.kill('SIGKILL')
    await a.exited
    const before = new Set(
      receiver.accepted.filter((r) => r.json.data.accountId === accountId).map((r) => r.json.data.name),
    )
    assert.ok(
      before.size < committed.length,
      `the kill came mid-stream (${before.size} of ${committed.length} delivered)`,
    )
    receiver.delayMs = 0
    const b = await startServerProcess(env)
    try {
      const names = () =>
        new Set(
          receiver.accepted.filter((r) => r.json.data.accountId === accountId).map((r) => r.json.data.name),
        )
      await waitFor(() => committed.every((n) => names().has(n)), 'every committed event', 120_000)
      for (const r of receiver.accepted.filter((x) => x.json.data.accountId === accountId))
        receiver.verify(r, secret)
      // In commit order, counting first arrivals (a delivery cut off by the kill is repeated).
      const firsts: string[] = []
      for (const r of receiver.accepted)
        if (r.json.data.accountId === accountId && !firsts.includes(r.json.data.name))
          firsts.push(r.json.data.name)
      assert.deepEqual(firsts, committed)
    } finally {
      await b.stop()
    }
  })
})

describe('the server bundle', () => {
  let testDb: TestDatabase
  let operator: TestApp
  let receiver: Receiver

  before(async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' })
    assert.equal(built.status, 0, built.stderr)
    testDb = await createTestDatabase()
    operator = await startTestApp({ testDb, clock: realClock })
    receiver = await startReceiver()
  })
  after(async () => {
    await operator.close({ keepDatabase: true })
    await testDb.drop()
    await receiver.close()
  })

  // Deliveries are sent from a thread whose code is a file of its own in the bundle.
  it('delivers signed events from its sender thread, as `npm start` runs it', async () => {
    const { accountId, adminKey } = await operator.account('Bundle', ['bundle.test'])
    const server = await startServerProcess({ ...FAST_ENV, DATABASE_URL: testDb.url }, { bundle: true })
    try {
      const added = await server.post('/api/addWebhook', adminKey, { url: receiver.url })
      assert.equal(added.status, 200, JSON.stringify(added.body))
      const res = await server.post('/api/createCustomRole', adminKey, {
        roleName: 'AUDITOR',
        baseRole: 'GUEST',
      })
      assert.equal(res.status, 200)
      const mine = () => receiver.accepted.filter((r) => r.json.data.accountId === accountId)
      await waitFor(() => mine().length === 1, 'the custom_role.created delivery')
      const [delivery] = mine()
      assert.equal(delivery!.json.type, 'custom_role.created')
      receiver.verify(delivery!, added.body.secret as string)
    } finally {
      await server.stop()
    }
  })

  // WAL checkpoints run in a thread whose code is a file of its own too (src/db/wal-checkpoint.ts;
  // test/operations/wal-checkpoint.test.ts for the sources).
  it(
    'copies committed invitations into the SQLite database file from its checkpoint thread',
    { skip: testEngine === 'postgres' ? 'SQLite only' : false },
    () => expectInvitationsCheckpointed({ bundle: true }),
  )
})

describe('two instances sharing one database', () => {
  let testDb: TestDatabase
  let apps: TestApp[] = []
  let receiver: Receiver

  before(async () => {
    testDb = await createTestDatabase()
    receiver = await startReceiver()
    const env = { ...FAST_ENV, WEBHOOK_POLL_MS: '20' }
    const first = await startTestApp({ testDb, env, clock: realClock, webhookWorker: true })
    const second = await startTestApp({ testDb, env, clock: realClock, webhookWorker: true })
    apps = [first, second]
  })
  after(async () => {
    for (const app of apps) await app.close({ keepDatabase: true })
    await testDb.drop()
    await receiver.close()
  })

  it('delivers each event once, by one instance or the other', async () => {
    const [one, two] = apps as [TestApp, TestApp]

    const accounts: { accountId: number; adminKey: string }[] = []
    for (let i = 0; i < 4; i++) {
      const acc = await one.account(`Pair${i}`, [`pair${i}.test`])
      accounts.push(acc)
      const res = await one.post('/api/addWebhook', acc.adminKey, {
        url: receiver.url,
        events: ['custom_role.created'],
      })
      assert.equal(res.statusCode, 200, res.body)
    }
    const total = 4 * 15
    const writes = []
    for (let n = 0; n < 15; n++) {
      for (const [i, acc] of accounts.entries()) {
        const app = (n + i) % 2 === 0 ? one : two
        writes.push(app.post('/api/createCustomRole', acc.adminKey, { roleName: `p${n}`, baseRole: 'GUEST' }))
      }
    }
    for (const res of await Promise.all(writes)) assert.equal(res.statusCode, 200, res.body)
    await waitFor(() => receiver.accepted.length >= total, `${total} deliveries`, 120_000)
    // A short while for any duplicate to show up: the logs must all say delivered first.
    await waitFor(
      async () =>
        (
          await Promise.all(
            accounts.map(
              async (acc) =>
                JSON.parse(
                  (await one.post('/api/fetchWebhookDeliveries', acc.adminKey, { status: 'delivered' })).body,
                ).deliveries.length,
            ),
          )
        ).every((c) => c === 15),
      'every delivery settled',
    )
    const ids = receiver.accepted.map((r) => r.id)
    assert.equal(ids.length, total, 'no event delivered twice')
    assert.equal(new Set(ids).size, total)
    // Each worker counts a delivery once its settlement has committed (a moment after others can read it).
    const sent = () => apps.map((app) => app.services.webhookDeliveries.totals().sent)
    await waitFor(() => sent()[0]! + sent()[1]! >= total, 'both workers to count their deliveries')
    const perInstance = apps.map((app) => app.services.webhookDeliveries.totals().sent)
    process.stdout.write(`# deliveries per instance: ${perInstance.join(' + ')} = ${total}\n`)
    assert.equal(perInstance[0]! + perInstance[1]!, total)
  })
})
