import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import pg from 'pg'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { testEngine } from '../helpers/database.ts'

describe('POST /api/inviteUsers', () => {
  let t: TestApp
  let admin: string
  let member: string
  let accountId: number

  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://roster.acme.com', ALLOWED_ORIGINS: 'https://app.acme.com' } })
    ;({ accountId, adminKey: admin } = await t.account('Acme', ['acme.com', 'acme.io']))
    member = (await t.member(accountId, 'mia@acme.com', 'MEMBER')).key
    await t.member(accountId, 'dev@acme.com', 'DEVELOPER')
  })
  after(() => t.close())

  it('answers with a signed one-week link on the public URL and the role', async () => {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: ' Bob@Acme.com ', inviteeRole: 'developer' })
    assert.equal(res.statusCode, 200)
    const body = json(res)
    assert.deepEqual(Object.keys(body).sort(), ['finalInviteCode', 'inviteeRole'])
    assert.equal(body.inviteeRole, 'DEVELOPER')
    const link = new URL(body.finalInviteCode)
    assert.equal(link.origin, 'https://roster.acme.com')
    assert.equal(link.pathname, '/addUserToAccount')
    assert.equal(link.searchParams.get('signupEmailId'), 'bob@acme.com')
    assert.match(body.finalInviteCode, /signupEmailId=bob%40acme\.com$/)
    const code = link.searchParams.get('signupInvitationCode')!
    const claims = decodeJwt(code)
    assert.equal(claims.sub, 'invite_user')
    assert.equal(claims.email, 'bob@acme.com')
    assert.equal(claims.iss, 'roster')
    assert.equal(claims.exp! - claims.iat!, 604800)
    assert.equal(typeof claims.jti, 'string')
    const header = decodeProtectedHeader(code)
    assert.equal(header.alg, 'HS256')
    assert.equal(typeof header.kid, 'string')
  })

  it('lists the invitation as pending in getTeamData', async () => {
    const team = json<any[]>(await t.post('/api/getTeamData', admin))
    const inv = team.find((i) => i.login === 'bob@acme.com')
    assert.equal(inv.role, 'Invitation sent for DEVELOPER')
    assert.equal(inv.name, '-')
    assert.equal(inv.isInvitation, true)
  })

  it('replaces a pending invitation on re-invite: new code, new role, one entry', async () => {
    const first = json(await t.post('/api/inviteUsers', admin, { inviteeEmail: 'rita@acme.com', inviteeRole: 'GUEST' }))
    const second = json(await t.post('/api/inviteUsers', admin, { inviteeEmail: 'rita@acme.com', inviteeRole: 'MEMBER' }))
    const jti = (link: string) => decodeJwt(new URL(link).searchParams.get('signupInvitationCode')!).jti
    assert.notEqual(jti(first.finalInviteCode), jti(second.finalInviteCode))
    const team = json<any[]>(await t.post('/api/getTeamData', admin))
    const entries = team.filter((i) => i.login === 'rita@acme.com')
    assert.equal(entries.length, 1)
    assert.equal(entries[0].role, 'Invitation sent for MEMBER')
  })

  it('uses an allowed websiteHostName as the link origin', async () => {
    const res = await t.post('/api/inviteUsers', admin, {
      inviteeEmail: 'web@acme.com',
      inviteeRole: 'GUEST',
      websiteHostName: 'https://app.acme.com',
    })
    assert.equal(res.statusCode, 200)
    assert.equal(new URL(json(res).finalInviteCode).origin, 'https://app.acme.com')
  })

  it('accepts any of the account domains, ignoring case', async () => {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'zed@ACME.IO', inviteeRole: 'GUEST' })
    assert.equal(res.statusCode, 200)
  })

  it('accepts VIEWER as GUEST', async () => {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'view@acme.com', inviteeRole: 'viewer' })
    assert.equal(json(res).inviteeRole, 'GUEST')
  })

  const errors: [string, Record<string, unknown>, string, string][] = [
    ['a missing email', { inviteeRole: 'GUEST' }, 'Invalid email', 'INVALID_EMAIL'],
    ['a malformed email', { inviteeEmail: 'bob@', inviteeRole: 'GUEST' }, 'Invalid email', 'INVALID_EMAIL'],
    ['an email that is not a string', { inviteeEmail: 42, inviteeRole: 'GUEST' }, 'Invalid email', 'INVALID_EMAIL'],
    ['an existing member (before every later check)', { inviteeEmail: 'MIA@acme.com', inviteeRole: 'NOPE' }, 'User already exists', 'USER_EXISTS'],
    ['a foreign domain (before the role check)', { inviteeEmail: 'eve@evil.com', inviteeRole: 'NOPE' }, 'Email must belong to same organisation', 'DOMAIN_NOT_ALLOWED'],
    ['a look-alike domain', { inviteeEmail: 'eve@acme.com.evil.io', inviteeRole: 'GUEST' }, 'Email must belong to same organisation', 'DOMAIN_NOT_ALLOWED'],
    ['an unknown role', { inviteeEmail: 'new@acme.com', inviteeRole: 'OWNER' }, 'Invalid role', 'INVALID_ROLE'],
    ['a missing role', { inviteeEmail: 'new@acme.com' }, 'Invalid role', 'INVALID_ROLE'],
    ['a websiteHostName that is not configured', { inviteeEmail: 'new@acme.com', inviteeRole: 'GUEST', websiteHostName: 'https://evil.com' }, 'Invalid websiteHostName', 'INVALID_WEBSITE_HOST'],
    ['a websiteHostName that is not a URL', { inviteeEmail: 'new@acme.com', inviteeRole: 'GUEST', websiteHostName: 'evil' }, 'Invalid websiteHostName', 'INVALID_WEBSITE_HOST'],
  ]
  for (const [what, body, message, code] of errors) {
    it(`refuses ${what} with 422 "${message}"`, async () => {
      const res = await t.post('/api/inviteUsers', admin, body)
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), { actionErrors: [message], code })
    })
  }

  // On PostgreSQL the lock, the read and the writes are pipelined on one connection
  // (db/transaction.ts inAccountReadThenWrite): a refusal must end the transaction it began, or
  // the connection goes back to the pool holding the account's lock.
  it(
    'leaves no transaction open, and so the account unlocked, after a refusal or an invitation',
    { skip: testEngine === 'postgres' ? false : 'PostgreSQL only (runs in the PostgreSQL pass)' },
    async () => {
      const client = new pg.Client({ connectionString: t.testDb.url })
      await client.connect()
      const openTransactions = async () =>
        (
          await client.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
          )
        ).rows[0]!.n
      try {
        const refused = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'mia@acme.com', inviteeRole: 'GUEST' })
        assert.equal(json(refused).code, 'USER_EXISTS')
        assert.equal(await openTransactions(), 0)
        const invited = await t.post('/api/inviteUsers', admin, { inviteeEmail: 'unlocked@acme.com', inviteeRole: 'GUEST' })
        assert.equal(invited.statusCode, 200)
        assert.equal(await openTransactions(), 0)
      } finally {
        await client.end()
      }
    },
  )

  it('refuses a MEMBER inviting an ADMIN', async () => {
    const res = await t.post('/api/inviteUsers', member, { inviteeEmail: 'boss@acme.com', inviteeRole: 'ADMIN' })
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res).actionErrors, ['User not allowed to invite for this role'])
  })

  it('lets a MEMBER invite a MEMBER and below', async () => {
    for (const role of ['MEMBER', 'DEVELOPER', 'GUEST']) {
      const res = await t.post('/api/inviteUsers', member, { inviteeEmail: `m-${role.toLowerCase()}@acme.com`, inviteeRole: role })
      assert.equal(res.statusCode, 200, role)
    }
  })

  it('checks the hierarchy of a custom role through its base role', async () => {
    await t.post('/api/createCustomRole', admin, { roleName: 'lead', baseRole: 'ADMIN' })
    await t.post('/api/createCustomRole', admin, { roleName: 'qa', baseRole: 'DEVELOPER' })
    const refused = await t.post('/api/inviteUsers', member, { inviteeEmail: 'lead@acme.com', inviteeRole: 'LEAD' })
    assert.deepEqual(json(refused).actionErrors, ['User not allowed to invite for this role'])
    const ok = await t.post('/api/inviteUsers', member, { inviteeEmail: 'qa@acme.com', inviteeRole: 'qa' })
    assert.equal(ok.statusCode, 200)
    assert.equal(json(ok).inviteeRole, 'QA')
  })

  it('refuses an inviteeName over 200 characters with 422, storing no invitation and queueing no email', async () => {
    const invited = async () =>
      json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => i.login === 'long@acme.com').length
    const mails = async () =>
      (await t.services.mail.list({ accountId })).filter((m) => m.to === 'long@acme.com').length
    const body = { inviteeEmail: 'long@acme.com', inviteeRole: 'GUEST' }
    const refused = await t.post('/api/inviteUsers', admin, { ...body, inviteeName: 'n'.repeat(201) })
    assert.equal(refused.statusCode, 422)
    assert.deepEqual(json(refused), { actionErrors: ['Names must be at most 200 characters.'], code: 'INVALID_NAME' })
    assert.equal(await invited(), 0)
    assert.equal(await mails(), 0)
    // The control: one character shorter, the same invitation is made and mailed.
    const made = await t.post('/api/inviteUsers', admin, { ...body, inviteeName: 'n'.repeat(200) })
    assert.equal(made.statusCode, 200, made.body)
    assert.equal(await invited(), 1)
    assert.equal(await mails(), 1)
  })

  it('creates nothing when it refuses', async () => {
    const before = json<any[]>(await t.post('/api/getTeamData', admin)).length
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'eve@evil.com', inviteeRole: 'GUEST' })
    await t.post('/api/inviteUsers', admin, { inviteeEmail: 'n@acme.com', inviteeRole: 'GUEST', websiteHostName: 'https://evil.com' })
    assert.equal(json<any[]>(await t.post('/api/getTeamData', admin)).length, before)
  })
})
