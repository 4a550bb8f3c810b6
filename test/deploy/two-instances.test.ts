/**
 * Two real Roster processes on one database, driven concurrently over HTTP: the invariants that
 * can race (one pending invitation per email, at least one ADMIN, one membership per accepted
 * code, one delivery per message) are held by the database, not by either process's memory.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.ts'
import { roster as runCli } from '../helpers/cli.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'
import { startSmtp } from '../helpers/smtp.ts'

/** What a conflicting request may answer: done, refused by a rule, or its actor gone. */
const ACCEPTABLE = new Set([200, 401, 403, 422])

function assertNoServerErrors(statuses: number[]) {
  for (const status of statuses)
    assert.ok(ACCEPTABLE.has(status), `unexpected status ${status} in ${statuses.join(',')}`)
}

describe('two Roster processes sharing one database', () => {
  let testDb: TestDatabase
  let a: ServerProcess
  let b: ServerProcess
  const servers: ServerProcess[] = []
  let env: Record<string, string>
  // Arranges data through the operator services (what the CLI runs), in this process.
  let operator: TestApp

  before(async () => {
    testDb = await createTestDatabase()
    // The invariant under test is one pending invitation, not the per-address flood limit.
    env = { DATABASE_URL: testDb.url, INVITE_LIMIT_PER_EMAIL: '1000' }
    // Both start on an empty database at once: migrations and the signing key must not race.
    const started = await Promise.allSettled([startServerProcess(env), startServerProcess(env)])
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value)
    const failed = started.find((s) => s.status === 'rejected')
    if (failed) throw failed.reason
    ;[a, b] = servers as [ServerProcess, ServerProcess]
    operator = await startTestApp({ testDb })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    await operator?.close({ keepDatabase: true })
    await testDb?.drop()
  })

  async function account(domain: string) {
    const { accountId, adminKey } = await operator.account(domain, [domain])
    return { accountId, apiKey: adminKey }
  }

  async function member(accountId: number, email: string, role: string) {
    await operator.services.accounts.addUser({ accountId, email, role })
    return operator.services.accounts.createApiKey({ accountId, email })
  }

  it('keeps one pending invitation per email under concurrent invites through both', async () => {
    const { apiKey } = await account('one-invite.test')
    const roles = ['GUEST', 'DEVELOPER', 'MEMBER']
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 === 0 ? a : b).post('/api/inviteUsers', apiKey, {
          inviteeEmail: 'bob@one-invite.test',
          inviteeRole: roles[i % 3],
        }),
      ),
    )
    assertNoServerErrors(results.map((r) => r.status))
    assert.ok(results.some((r) => r.status === 200))
    for (const server of [a, b]) {
      const team = (await server.post('/api/getTeamData', apiKey)).body as { login: string; role: string }[]
      const entries = team.filter((item) => item.login === 'bob@one-invite.test')
      assert.equal(entries.length, 1)
      assert.match(entries[0]!.role, /^Invitation sent for (GUEST|DEVELOPER|MEMBER)$/)
    }
  })

  it('leaves at least one ADMIN when two admins remove and demote each other through both at once', async () => {
    for (let round = 0; round < 6; round++) {
      const domain = `last-admin-${round}.test`
      const ada = await account(domain)
      const bob = await member(ada.accountId, `bob@${domain}`, 'ADMIN')
      const results = await Promise.all([
        a.post('/api/removeUser', ada.apiKey, { email: `bob@${domain}` }),
        b.post('/api/removeUser', bob.apiKey, { email: `ada@${domain}` }),
        b.post('/api/makeAdmin', ada.apiKey, { email: `bob@${domain}`, userRole: 'MEMBER' }),
        a.post('/api/makeAdmin', bob.apiKey, { email: `ada@${domain}`, userRole: 'MEMBER' }),
      ])
      const statuses = results.map((r) => r.status)
      assertNoServerErrors(statuses)
      // Whoever is left can still read the team; count its ADMINs.
      const views = await Promise.all([
        a.post('/api/getTeamData', ada.apiKey),
        b.post('/api/getTeamData', bob.apiKey),
      ])
      const view = views.find((v) => v.status === 200)
      assert.ok(view, `nobody can read the team after ${statuses.join(',')}`)
      const admins = (view.body as { role: string; isInvitation?: boolean }[]).filter(
        (m) => !m.isInvitation && m.role === 'ADMIN',
      )
      assert.ok(admins.length >= 1, `no ADMIN left after ${statuses.join(',')}`)
      // The first change to commit wins; the others are refused against the state it left.
      assert.equal(admins.length, 1, `the first change wins: ${statuses.join(',')}`)
    }
  })

  it('refuses at once, on the other instance, a member removed through one instance', async () => {
    const ada = await account('removed.test')
    const bob = await member(ada.accountId, 'bob@removed.test', 'MEMBER')
    assert.equal((await b.post('/api/getTeamData', bob.apiKey)).status, 200)
    assert.equal((await a.post('/api/removeUser', ada.apiKey, { email: 'bob@removed.test' })).status, 200)
    const refused = await b.post('/api/getTeamData', bob.apiKey)
    assert.equal(refused.status, 401)
    assert.equal(refused.body.code, 'UNAUTHENTICATED')
  })

  it('applies at once, on the other instance, a role lowered through one instance', async () => {
    const ada = await account('demoted.test')
    const mia = await member(ada.accountId, 'mia@demoted.test', 'MEMBER')
    const invite = { inviteeEmail: 'x@demoted.test', inviteeRole: 'GUEST' }
    assert.equal((await b.post('/api/inviteUsers', mia.apiKey, invite)).status, 200)
    assert.equal(
      (await a.post('/api/makeAdmin', ada.apiKey, { email: 'mia@demoted.test', userRole: 'GUEST' })).status,
      200,
    )
    assert.equal((await b.post('/api/inviteUsers', mia.apiKey, invite)).status, 403)
  })

  it('lists, on the other instance, every change made through one instance at once', async () => {
    const ada = await account('listed.test')
    await member(ada.accountId, 'bob@listed.test', 'MEMBER')
    const team = async (server: ServerProcess) => {
      const res = await server.post('/api/getTeamData', ada.apiKey)
      assert.equal(res.status, 200)
      return (res.body as { login: string; role: string }[]).map((i) => `${i.login} ${i.role}`)
    }
    // Each step lists on b first (so b holds the listing), changes through a, then lists on b.
    const steps: [string, unknown, string[]][] = [
      [
        '/api/inviteUsers',
        { inviteeEmail: 'new@listed.test', inviteeRole: 'GUEST' },
        ['ada@listed.test ADMIN', 'bob@listed.test MEMBER', 'new@listed.test Invitation sent for GUEST'],
      ],
      [
        '/api/makeAdmin',
        { email: 'bob@listed.test', userRole: 'DEVELOPER' },
        ['ada@listed.test ADMIN', 'bob@listed.test DEVELOPER', 'new@listed.test Invitation sent for GUEST'],
      ],
      [
        '/api/removeUser',
        { email: 'new@listed.test' },
        ['ada@listed.test ADMIN', 'bob@listed.test DEVELOPER'],
      ],
      ['/api/removeUser', { email: 'bob@listed.test' }, ['ada@listed.test ADMIN']],
    ]
    for (const [path, body, expected] of steps) {
      await team(b)
      assert.equal((await a.post(path, ada.apiKey, body)).status, 200)
      assert.deepEqual(await team(b), expected, `after ${path}`)
    }
    // The operator, from a third process (the CLI), is seen by both.
    await team(a)
    const added = await runCli(
      ['user', 'add', '--account', String(ada.accountId), '--email', 'cli@listed.test', '--role', 'GUEST'],
      env,
    )
    assert.equal(added.code, 0, added.stderr)
    for (const server of [a, b])
      assert.deepEqual(await team(server), ['ada@listed.test ADMIN', 'cli@listed.test GUEST'])
  })

  it('refuses at once, on both instances, an API key revoked by the operator', async () => {
    const ada = await account('revoked.test')
    const key = await member(ada.accountId, 'ci@revoked.test', 'DEVELOPER')
    for (const server of [a, b]) assert.equal((await server.post('/api/getTeamData', key.apiKey)).status, 200)
    const revoked = await runCli(['api-key', 'revoke', '--id', String(key.id)], env)
    assert.equal(revoked.code, 0, revoked.stderr)
    for (const server of [a, b]) assert.equal((await server.post('/api/getTeamData', key.apiKey)).status, 401)
  })

  it('turns one invitation code accepted through both at once into exactly one membership', async () => {
    const ada = await account('accept-race.test')
    const invited = await a.post('/api/inviteUsers', ada.apiKey, {
      inviteeEmail: 'bob@accept-race.test',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(invited.status, 200)
    const link = new URL(invited.body.finalInviteCode)
    const body = {
      signupInvitationCode: link.searchParams.get('signupInvitationCode'),
      signupEmailId: link.searchParams.get('signupEmailId'),
      name: 'Bob',
      password: 'violet-tangerine-42',
    }
    const results = await Promise.all(
      [a, b, a, b].map((server) => server.post('/api/acceptInvitation', undefined, body)),
    )
    const statuses = results.map((r) => r.status)
    assertNoServerErrors(statuses)
    assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(','))
    const team = (await b.post('/api/getTeamData', ada.apiKey)).body as {
      login: string
      role: string
      isInvitation?: boolean
    }[]
    const bob = team.filter((item) => item.login === 'bob@accept-race.test')
    assert.deepEqual(
      bob.map((item) => [item.role, item.isInvitation ?? false]),
      [['DEVELOPER', false]],
    )
  })
})

describe('two Roster processes delivering one outbox', () => {
  it('delivers every invitation email exactly once when both run the outbox worker', async () => {
    const smtp = await startSmtp()
    const testDb = await createTestDatabase()
    const env = (sender: string) => ({
      DATABASE_URL: testDb.url,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      // Each process signs its envelopes with its own sender: the per-process counts below.
      MAIL_FROM: `Roster <${sender}@outbox.test>`,
      MAIL_POLL_MS: '50',
    })
    // Contention for certain: every message is held at the SMTP server until two are held at once.
    // A pass sends one message at a time, so the second held one is the other process's.
    smtp.hold()
    // Started one after the other: this test is about the outbox, not about racing migrations.
    const servers = [await startServerProcess(env('a'))]
    servers.push(await startServerProcess(env('b')))
    const operator = await startTestApp({ testDb })
    try {
      const emails: string[] = []
      for (const domain of ['outbox.test', 'outbox2.test']) {
        const { adminKey } = await operator.account(domain, [domain], `ada@${domain}`)
        const mine = Array.from({ length: 6 }, (_, i) => `p${i}@${domain}`)
        emails.push(...mine)
        const results = await Promise.all(
          mine.map((email, i) =>
            servers[i % 2]!.post('/api/inviteUsers', adminKey, { inviteeEmail: email, inviteeRole: 'GUEST' }),
          ),
        )
        assert.deepEqual(
          results.map((r) => r.status),
          mine.map(() => 200),
        )
      }
      await smtp.waitForHeld(2)
      smtp.release()
      await smtp.waitFor(emails.length)
      // Both processes stopped (their workers with them): nothing can arrive after this point.
      await Promise.all(servers.map((server) => server.stop()))
      const recipients = smtp.received.flatMap((mail) => mail.envelopeTo).sort()
      assert.deepEqual(recipients, [...emails].sort())
      const bySender = new Map<string, number>()
      for (const mail of smtp.received)
        bySender.set(mail.envelopeFrom, (bySender.get(mail.envelopeFrom) ?? 0) + 1)
      assert.ok(
        (bySender.get('a@outbox.test') ?? 0) > 0 && (bySender.get('b@outbox.test') ?? 0) > 0,
        `per process: ${[...bySender]}`,
      )
    } finally {
      await Promise.all(servers.map((server) => server.stop()))
      await operator.close({ keepDatabase: true })
      await testDb.drop()
      await smtp.close()
    }
  })
})
