/**
 * Webhooks across processes: the CLI, a server killed with SIGKILL mid-stream, and two
 * instances sharing one database.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { roster } from '../helpers/cli.ts'
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'
import { expectInvitationsCheckpointed } from '../helpers/sqlite-file.ts'
import { startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver.ts'
import { FAST_ENV, realClock } from './setup.ts'

/** A self-signed certificate for `name` (openssl, as Debian ships it). */
function selfSigned(dir: string, file: string, name: string) {
  const key = join(dir, `${file}.key`)
  const cert = join(dir, `${file}.pem`)
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
    ].concat(['-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`]),
    { encoding: 'utf8' },
  )
  assert.equal(made.status, 0, made.stderr)
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
}

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
      // A delivery sent again carries the webhook-id it first went out with.
      const ids = new Map<string, Set<string>>()
      for (const r of receiver.accepted.filter((x) => x.json.data.accountId === accountId))
        ids.set(r.json.data.name, (ids.get(r.json.data.name) ?? new Set()).add(r.id))
      assert.deepEqual(
        [...ids].filter(([, seen]) => seen.size > 1),
        [],
      )
    } finally {
      await b.stop()
    }
  })
})

describe('the server bundle', () => {
  let testDb: TestDatabase
  let operator: TestApp
  let receiver: Receiver
  let server: ServerProcess
  // HTTPS receivers on the name `localhost`: one whose certificate names it, one whose does not.
  const tlsReceivers: Record<'named' | 'misnamed', Receiver> = {} as never

  before(async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' })
    assert.equal(built.status, 0, built.stderr)
    testDb = await createTestDatabase()
    operator = await startTestApp({ testDb, clock: realClock })
    receiver = await startReceiver()
    // Listening where Roster will connect: the first address the name resolves to.
    const { address } = await lookup('localhost', { verbatim: true })
    const dir = mkdtempSync(join(tmpdir(), 'roster-tls-'))
    const named = selfSigned(dir, 'named', 'localhost')
    const misnamed = selfSigned(dir, 'misnamed', 'elsewhere.test')
    tlsReceivers.named = await startReceiver(0, { ...named, hostname: 'localhost', address })
    tlsReceivers.misnamed = await startReceiver(0, { ...misnamed, hostname: 'localhost', address })
    // Both certificates trusted: only the name on them differs.
    const trusted = join(dir, 'trusted.pem')
    writeFileSync(trusted, named.cert + misnamed.cert)
    server = await startServerProcess(
      { ...FAST_ENV, DATABASE_URL: testDb.url, NODE_EXTRA_CA_CERTS: trusted },
      { bundle: true },
    )
  })
  after(async () => {
    await server.stop()
    await operator.close({ keepDatabase: true })
    await testDb.drop()
    await receiver.close()
    await Promise.all(Object.values(tlsReceivers).map((r) => r.close()))
  })

  /** Nice values of the server's threads (Linux: /proc/PID/task/TID/stat, field 19), main first. */
  function threadNiceValues(pid: number): { main: number; others: number[] } {
    const nice = (tid: string) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
    }
    const others = readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid))
    return { main: nice(String(pid)), others: others.map(nice) }
  }

  // Deliveries are sent from a thread whose code is a file of its own in the bundle.
  it('delivers signed events from its sender thread, as `npm start` runs it', async () => {
    const { accountId, adminKey } = await operator.account('Bundle', ['bundle.test'])
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
  })

  it(
    'runs the sender thread below normal priority, the rest of the server at its own',
    { skip: process.platform !== 'linux' ? 'per-thread nice values are Linux' : false },
    async () => {
      // The sender thread starts with the first delivery.
      const { delivery } = await deliverTo(receiver, 'nice.test')
      assert.equal(delivery.status, 'delivered', JSON.stringify(delivery))
      const { main, others } = threadNiceValues(server.child.pid!)
      assert.equal(main, 0, 'the main thread keeps the process priority')
      assert.deepEqual(
        others.filter((n) => n !== 0),
        [10],
        `one thread at nice 10 (the sender): ${others.join(' ')}`,
      )
    },
  )

  async function deliverTo(target: Receiver, domain: string) {
    const { adminKey } = await operator.account(`Deliver ${domain}`, [domain])
    const added = await server.post('/api/addWebhook', adminKey, { url: `${target.url}/hook` })
    assert.equal(added.status, 200, JSON.stringify(added.body))
    const id = added.body.id as number
    assert.equal((await server.post('/api/sendTestWebhook', adminKey, { id })).status, 200)
    const deliveries = async () =>
      (await server.post('/api/fetchWebhookDeliveries', adminKey, { webhookId: id })).body.deliveries as any[]
    // Settled one way or the other: delivered, or an attempt failed.
    await waitFor(async () => {
      const [d] = await deliveries()
      return d?.status === 'delivered' || (d?.lastError ?? null) !== null
    }, 'an attempt')
    return { delivery: (await deliveries())[0], secret: added.body.secret as string }
  }

  it('delivers over https to the checked address, with the certificate verified for the name', async () => {
    const { delivery, secret } = await deliverTo(tlsReceivers.named, 'tls-named.test')
    assert.equal(delivery.status, 'delivered', JSON.stringify(delivery))
    assert.equal(tlsReceivers.named.accepted.length, 1)
    tlsReceivers.named.verify(tlsReceivers.named.accepted[0]!, secret)
  })

  it('refuses a receiver whose certificate is trusted but names another host', async () => {
    const { delivery } = await deliverTo(tlsReceivers.misnamed, 'tls-misnamed.test')
    assert.notEqual(delivery.status, 'delivered')
    assert.equal(delivery.lastStatusCode, null)
    assert.match(delivery.lastError, /ERR_TLS_CERT_ALTNAME_INVALID/)
    assert.equal(tlsReceivers.misnamed.received.length, 0)
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
