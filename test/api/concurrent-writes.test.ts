import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import pg from 'pg'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'
import { waitFor } from '../helpers/webhook-receiver.ts'

// Concurrent write use cases may share a commit (group commit, on both engines): each still succeeds or
// fails on its own, and every success is durable and visible.
describe('concurrent write requests', () => {
  let t: TestApp
  let admin: string
  let accountId: number

  before(async () => {
    t = await startTestApp()
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
  })
  after(() => t.close())

  it('keeps every accepted invitation when others in the same burst are refused', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? { inviteeEmail: `bad${i}@acme.com`, inviteeRole: 'NO_SUCH_ROLE' }
        : i % 3 === 1
          ? { inviteeEmail: `out${i}@other.com`, inviteeRole: 'GUEST' }
          : { inviteeEmail: `ok${i}@acme.com`, inviteeRole: 'GUEST' },
    )
    const answers = await Promise.all(bodies.map((body) => t.post('/api/inviteUsers', admin, body)))
    answers.forEach((res, i) => assert.equal(res.statusCode, i % 3 === 2 ? 200 : 422, `request ${i}`))
    const logins = json<any[]>(await t.post('/api/getTeamData', admin)).map((item) => item.login)
    const expected = bodies.filter((_, i) => i % 3 === 2).map((b) => b.inviteeEmail)
    assert.deepEqual(logins.filter((l) => l !== 'ada@acme.com').sort(), expected.sort())
  })

  // A write the database refuses (here a trigger, as an operator's own constraint would) aborts
  // the transaction it shares: the others must still commit, each answered for itself.
  it('keeps every other invitation of a burst when the database refuses one of them', async () => {
    const db = t.database.db
    if (testEngine === 'postgres') {
      await sql`create function refuse_boom() returns trigger language plpgsql as $$
        begin raise exception 'refused by the database'; end $$`.execute(db)
      await sql`create trigger refuse_boom before insert on invitations for each row
        when (new.email = 'boom@acme.com') execute function refuse_boom()`.execute(db)
    } else {
      await sql`create trigger refuse_boom before insert on invitations
        when new.email = 'boom@acme.com' begin select raise(abort, 'refused by the database'); end`.execute(
        db,
      )
    }
    try {
      const emails = Array.from({ length: 12 }, (_, i) => (i === 5 ? 'boom@acme.com' : `burst${i}@acme.com`))
      const invite = (inviteeEmail: string) => () =>
        t.post('/api/inviteUsers', admin, { inviteeEmail, inviteeRole: 'GUEST' })
      const answers = await batchBehindLock(t, accountId, invite(emails[0]!), emails.slice(1).map(invite))
      answers.forEach((res, i) =>
        assert.equal(res.statusCode === 200, i !== 5, `request ${i}: ${res.statusCode}`),
      )
      const logins = json<any[]>(await t.post('/api/getTeamData', admin)).map((item) => item.login)
      for (const [i, email] of emails.entries()) assert.equal(logins.includes(email), i !== 5, email)
    } finally {
      await sql`drop trigger refuse_boom${sql.raw(testEngine === 'postgres' ? ' on invitations' : '')}`.execute(
        db,
      )
    }
  })

  it('never removes the last ADMIN when two ADMINs remove each other at once', async () => {
    const other = await t.member(accountId, 'root@acme.com', 'ADMIN')
    const [a, b] = await Promise.all([
      t.post('/api/removeUser', admin, { email: 'root@acme.com' }),
      t.post('/api/removeUser', other.key, { email: 'ada@acme.com' }),
    ])
    // One succeeds; the other is refused (last ADMIN) or no longer authenticated (removed).
    assert.equal([a.statusCode, b.statusCode].filter((code) => code === 200).length, 1)
    const admins = json<any[]>(
      await t.post('/api/getTeamData', a.statusCode === 200 ? admin : other.key),
    ).filter((i) => i.role === 'ADMIN')
    assert.equal(admins.length, 1)
  })
})

/**
 * Sends `first`, then, once it waits at the account's lock (held meanwhile by another
 * connection), `rest` at once: on PostgreSQL those queue behind it and share the next
 * transaction (db/account-batches.ts), where every read is made before any write, rather than
 * only when timing happens to group them. SQLite reads after each write anyway: there they
 * simply go one after the other.
 */
async function batchBehindLock<T>(
  t: TestApp,
  accountId: number,
  first: () => Promise<T>,
  rest: (() => Promise<T>)[],
): Promise<T[]> {
  if (testEngine !== 'postgres')
    return [await first(), ...(await Promise.all(rest.map((request) => request())))]
  const holder = new pg.Client({ connectionString: t.testDb.url })
  await holder.connect()
  // Counts the requests that reached the account's batch queue (db/writes.ts), to wait for them
  // all: nothing outside the process can see that queue.
  const writes = t.database.writes
  const through = writes.readThenWrite
  let queued = 0
  writes.readThenWrite = ((accountId, useCase) => {
    queued++
    return through.call(writes, accountId, useCase)
  }) as typeof through
  try {
    await holder.query('begin')
    await holder.query('select id from accounts where id = $1 for update', [accountId])
    const alone = first()
    const waiting = async () => {
      // Inside a transaction pg_stat_activity is read once and kept, unless cleared.
      await holder.query('select pg_stat_clear_snapshot()')
      const { rows } = await holder.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      )
      return rows[0]!.n === 1
    }
    await waitFor(waiting, 'the first request to wait for the lock')
    const others = Promise.all(rest.map((request) => request()))
    await waitFor(() => queued === 1 + rest.length, 'every request to queue behind it')
    await holder.query('commit')
    return [await alone, ...(await others)]
  } finally {
    writes.readThenWrite = through
    await holder.end()
  }
}

describe('invitations that share one transaction', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { INVITE_LIMIT_PER_ACCOUNT: '8' } })
  })
  after(() => t.close())

  it("holds the account's invitation limit exactly within a burst", async () => {
    const { accountId, adminKey } = await t.account('Flood', ['flood.io'], 'ada@flood.io')
    const invite = (i: number) => () =>
      t.post('/api/inviteUsers', adminKey, { inviteeEmail: `f${i}@flood.io`, inviteeRole: 'GUEST' })
    const answers = await batchBehindLock(
      t,
      accountId,
      invite(0),
      Array.from({ length: 19 }, (_, i) => invite(i + 1)),
    )
    const statuses = answers.map((res) => res.statusCode)
    assert.equal(statuses.filter((s) => s === 200).length, 8, statuses.join(' '))
    assert.equal(statuses.filter((s) => s === 429).length, 12, statuses.join(' '))
    const invited = json<any[]>(await t.post('/api/getTeamData', adminKey)).filter((i) => i.isInvitation)
    assert.equal(invited.length, 8)
  })

  it('keeps one invitation, and sends one email, for an address invited several times in a burst', async () => {
    const { accountId, adminKey } = await t.account('Again', ['again.io'], 'ada@again.io')
    const roles = ['GUEST', 'MEMBER', 'DEVELOPER', 'GUEST', 'MEMBER']
    // The earlier tests' emails go first: what is sent below is this burst's.
    await t.services.outbox.deliverDue()
    // The address's first invitation is in the same transaction as the ones that replace it.
    const answers = await batchBehindLock(
      t,
      accountId,
      () => t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'sam@again.io', inviteeRole: 'GUEST' }),
      roles.map(
        (inviteeRole) => () =>
          t.post('/api/inviteUsers', adminKey, { inviteeEmail: 'rita@again.io', inviteeRole }),
      ),
    )
    answers.forEach((res, i) => assert.equal(res.statusCode, 200, `request ${i}: ${res.body}`))
    // Each later invitation replaced the one before and superseded its email: one goes out to
    // her (and one to sam), the one for the invitation that stands.
    assert.deepEqual(await t.services.outbox.deliverDue(), { sent: 2, retrying: 0, failed: 0 })
    const items = json<any[]>(await t.post('/api/getTeamData', adminKey)).filter(
      (i) => i.login === 'rita@again.io',
    )
    assert.equal(items.length, 1)
    assert.equal(items[0].emailStatus, 'logged')
  })
})
