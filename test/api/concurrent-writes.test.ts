import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'

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
      const answers = await Promise.all(
        emails.map((inviteeEmail) =>
          t.post('/api/inviteUsers', admin, { inviteeEmail, inviteeRole: 'GUEST' }),
        ),
      )
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
