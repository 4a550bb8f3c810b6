import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

type Result = {
  inviteeEmail: string
  ok: boolean
  code?: string
  message?: string
  finalInviteCode?: string
  inviteeRole?: string
}

describe('POST /api/inviteUsersBulk', () => {
  let t: TestApp
  let admin: string
  let member: string
  let accountId: number

  before(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_MAX: '0',
        PUBLIC_URL: 'https://roster.acme.com',
        ALLOWED_ORIGINS: 'https://app.acme.com',
      },
    })
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com']))
    member = (await t.member(accountId, 'mia@acme.com', 'MEMBER')).key
  })
  after(() => t.close())

  const bulk = async (key: string, body: unknown) => {
    const res = await t.post('/api/inviteUsersBulk', key, body)
    assert.equal(res.statusCode, 200, res.body)
    return json<{ results: Result[] }>(res).results
  }

  it("answers every row in input order, good rows invited, each bad row with inviteUsers' own code and message", async () => {
    const rows = [
      { inviteeEmail: 'good1@acme.com', inviteeRole: 'GUEST', inviteeName: 'Good One' },
      { inviteeEmail: 'not-an-email', inviteeRole: 'GUEST' },
      { inviteeEmail: 'mia@acme.com', inviteeRole: 'GUEST' },
      { inviteeEmail: 'eve@evil.com', inviteeRole: 'GUEST' },
      { inviteeEmail: 'role@acme.com', inviteeRole: 'KING' },
      { inviteeEmail: 'boss@acme.com', inviteeRole: 'ADMIN' },
      { inviteeEmail: 'Good2@Acme.com', inviteeRole: 'developer' },
      { inviteeEmail: 'good1@acme.com', inviteeRole: 'MEMBER' },
      // Fields of the wrong type: refused row by row, as inviteUsers refuses such a body.
      { inviteeEmail: 5, inviteeRole: 'GUEST' },
      { inviteeEmail: 'typed@acme.com', inviteeRole: 7 },
      { inviteeEmail: 'named@acme.com', inviteeRole: 'GUEST', inviteeName: 42 },
      { inviteeEmail: 'good3@acme.com', inviteeRole: 'GUEST', inviteeName: 'Good Three' },
    ]
    const results = await bulk(member, { invitations: rows })
    assert.deepEqual(
      results.map((r) => [r.inviteeEmail, r.ok, r.code ?? r.inviteeRole]),
      [
        ['good1@acme.com', true, 'GUEST'],
        ['not-an-email', false, 'INVALID_EMAIL'],
        ['mia@acme.com', false, 'USER_EXISTS'],
        ['eve@evil.com', false, 'DOMAIN_NOT_ALLOWED'],
        ['role@acme.com', false, 'INVALID_ROLE'],
        ['boss@acme.com', false, 'ROLE_NOT_ALLOWED'],
        ['good2@acme.com', true, 'DEVELOPER'],
        ['good1@acme.com', false, 'DUPLICATE_IN_BATCH'],
        ['', false, 'INVALID_EMAIL'],
        ['typed@acme.com', false, 'INVALID_ROLE'],
        ['named@acme.com', false, 'INVALID_REQUEST'],
        ['good3@acme.com', true, 'GUEST'],
      ],
    )
    assert.match(
      results[0]!.finalInviteCode!,
      /^https:\/\/roster\.acme\.com\/addUserToAccount\?signupInvitationCode=/,
    )
    // The same rows one by one through inviteUsers fail with the same code and message.
    for (const [i, r] of results.entries()) {
      if (r.ok || r.code === 'DUPLICATE_IN_BATCH') continue
      const single = await t.post('/api/inviteUsers', member, rows[i])
      assert.equal(single.statusCode, 422)
      assert.deepEqual(json(single), { actionErrors: [r.message], code: r.code })
    }
    const pending = json<{ items: { login: string }[] }>(
      await t.post('/api/listTeam', admin, { kind: 'invitations' }),
    )
    assert.deepEqual(
      pending.items.map((i) => i.login),
      ['good1@acme.com', 'good2@acme.com', 'good3@acme.com'],
    )
  })

  it('refuses the whole batch when what is wrong lies outside its rows', async () => {
    const good = { inviteeEmail: 'whole@acme.com', inviteeRole: 'GUEST' }
    for (const body of [{ invitations: [good, 5] }, { invitations: [good], websiteHostName: 7 }]) {
      const res = await t.post('/api/inviteUsersBulk', admin, body)
      assert.equal(res.statusCode, 422, JSON.stringify(body))
      assert.equal(json(res).code, 'INVALID_REQUEST')
    }
    // The control: the same row alone is invited.
    assert.equal((await bulk(admin, { invitations: [good] }))[0]!.ok, true)
  })

  it('refuses every row of a batch with a websiteHostName that is not allowed, as inviteUsers does', async () => {
    const rows = [{ inviteeEmail: 'h1@acme.com', inviteeRole: 'GUEST' }]
    const ok = await bulk(admin, { invitations: rows, websiteHostName: 'https://app.acme.com' })
    assert.equal(ok[0]!.ok, true)
    assert.match(ok[0]!.finalInviteCode!, /^https:\/\/app\.acme\.com\//)
    const refused = await bulk(admin, { invitations: rows, websiteHostName: 'https://evil.com' })
    assert.deepEqual(refused, [
      {
        inviteeEmail: 'h1@acme.com',
        ok: false,
        code: 'INVALID_WEBSITE_HOST',
        message: 'Invalid websiteHostName',
      },
    ])
  })

  it('takes 1000 rows and refuses 1001 or none', async () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ inviteeEmail: `n${i}@nowhere.org`, inviteeRole: 'GUEST' }))
    const thousand = await bulk(admin, { invitations: rows(1000) })
    assert.equal(thousand.length, 1000)
    assert.ok(thousand.every((r) => r.code === 'DOMAIN_NOT_ALLOWED'))
    for (const n of [1001, 0]) {
      const res = await t.post('/api/inviteUsersBulk', admin, { invitations: rows(n) })
      assert.equal(res.statusCode, 422, `${n} rows`)
      assert.equal(json(res).code, 'INVALID_REQUEST')
    }
  })

  it('is refused to a DEVELOPER, as inviteUsers is', async () => {
    const dev = (await t.member(accountId, 'dev@acme.com', 'DEVELOPER')).key
    const res = await t.post('/api/inviteUsersBulk', dev, {
      invitations: [{ inviteeEmail: 'x@acme.com', inviteeRole: 'GUEST' }],
    })
    assert.equal(res.statusCode, 403)
    assert.equal(json(res).code, 'FORBIDDEN_ROLE')
  })
})

describe('POST /api/inviteUsersBulk and the flood limits', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '0', INVITE_LIMIT_PER_KEY: '3' } })
  })
  after(() => t.close())

  it('counts every row: past the limit rows are refused, and so is the next single invitation', async () => {
    const { adminKey } = await t.account('Flood', ['flood.io'])
    const rows = Array.from({ length: 5 }, (_, i) => ({
      inviteeEmail: `f${i}@flood.io`,
      inviteeRole: 'GUEST',
    }))
    const res = await t.post('/api/inviteUsersBulk', adminKey, { invitations: rows })
    assert.equal(res.statusCode, 200)
    const results = json<{ results: Result[] }>(res).results
    assert.equal(results.filter((r) => r.ok).length, 3)
    const refused = results.filter((r) => !r.ok)
    assert.equal(refused.length, 2)
    assert.ok(refused.every((r) => r.code === 'RATE_LIMITED'))
    const single = await t.post('/api/inviteUsers', adminKey, {
      inviteeEmail: 'one-more@flood.io',
      inviteeRole: 'GUEST',
    })
    assert.equal(single.statusCode, 429)
    assert.equal(json(single).code, 'RATE_LIMITED')
  })
})
