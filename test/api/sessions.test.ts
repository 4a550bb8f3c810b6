import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'

const PASSWORD = 'tangerine-octopus-41'
const ORIGIN = 'http://localhost:8080'

describe('sessions: POST /api/login, /api/logout, /api/me, /api/getAccounts, /api/switchAccount', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }
  let globex: { accountId: number; adminKey: string }
  let adaCookie: string

  before(async () => {
    t = await startTestApp({
      env: { LOGIN_RATE_LIMIT: '1000', SESSION_IDLE_TTL: '3600', SESSION_MAX_TTL: '7200' },
    })
    acme = await t.account('Acme', ['acme.com'])
    globex = await t.account('Globex', ['globex.com'], 'hank@globex.com')
    // Ada is ADMIN of Acme and a GUEST of Globex.
    await t.services.accounts.addUser({ accountId: globex.accountId, email: 'ada@acme.com', role: 'GUEST' })
    await t.password('ada@acme.com', PASSWORD)
    adaCookie = await t.login('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('signs in with the right password: the user, the first account, and an HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.post(
      '/api/login',
      undefined,
      { email: ' ADA@acme.com ', password: PASSWORD },
      { origin: ORIGIN },
    )
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), {
      userId: 1,
      email: 'ada@acme.com',
      name: 'Ada',
      accountId: acme.accountId,
      role: 'ADMIN',
    })
    const cookie = res.cookies.find((c) => c.name === 'roster_session')!
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.secure, undefined)
    assert.equal(cookie.maxAge, 7200)
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/)
  })

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrong = await t.post('/api/login', undefined, {
      email: 'ada@acme.com',
      password: 'not-the-password',
    })
    const unknown = await t.post('/api/login', undefined, { email: 'nobody@acme.com', password: PASSWORD })
    const noPassword = await t.post('/api/login', undefined, { email: 'hank@globex.com', password: PASSWORD })
    for (const res of [wrong, unknown, noPassword]) {
      assert.equal(res.statusCode, 401)
      assert.deepEqual(json(res), {
        actionErrors: ['Invalid email or password.'],
        code: 'INVALID_CREDENTIALS',
      })
      assert.equal(res.cookies.length, 0)
    }
  })

  it('authenticates /api/* as the user would with an API key, in the current account', async () => {
    const team = await t.browser('/api/getTeamData', adaCookie)
    assert.equal(team.statusCode, 200)
    assert.deepEqual(json(team), json(await t.post('/api/getTeamData', acme.adminKey)))
    const invite = await t.browser('/api/inviteUsers', adaCookie, {
      inviteeEmail: 'bob@acme.com',
      inviteeRole: 'DEVELOPER',
    })
    assert.equal(invite.statusCode, 200)
    const me = await t.browser('/api/me', adaCookie)
    assert.deepEqual(json(me), {
      userId: 1,
      email: 'ada@acme.com',
      name: 'Ada',
      accountId: acme.accountId,
      accountName: 'Acme',
      role: 'ADMIN',
      baseRole: 'ADMIN',
      roleHierarchy: ['ADMIN', 'MEMBER', 'DEVELOPER', 'GUEST'],
      permissions: [
        'team:read',
        'roles:read',
        'invitations:create',
        'members:remove',
        'members:changeRole',
        'members:resetPassword',
        'roles:manage',
        'apiKeys:manageOwn',
        'audit:read',
        'sso:manage',
        'webhooks:manage',
        'scim:manage',
        'oidcClients:manage',
        'self:read',
        'self:switchAccount',
        'self:security',
        'self:enrolMfa',
        'account:policy',
      ],
    })
  })

  it("lists the user's accounts and switches the session to another one, with that account's role", async () => {
    const cookie = await t.login('ada@acme.com', PASSWORD)
    const accounts = json(await t.browser('/api/getAccounts', cookie))
    assert.deepEqual(accounts, {
      accounts: [
        { accountId: acme.accountId, name: 'Acme', role: 'ADMIN' },
        { accountId: globex.accountId, name: 'Globex', role: 'GUEST' },
      ],
      currentAccountId: acme.accountId,
    })
    const switched = await t.browser('/api/switchAccount', cookie, { accountId: globex.accountId })
    assert.equal(switched.statusCode, 200)
    assert.equal(json(switched).currentAccountId, globex.accountId)
    const me = json(await t.browser('/api/me', cookie))
    assert.equal(me.accountName, 'Globex')
    assert.equal(me.role, 'GUEST')
    const invite = await t.browser('/api/inviteUsers', cookie, {
      inviteeEmail: 'x@globex.com',
      inviteeRole: 'GUEST',
    })
    assert.equal(invite.statusCode, 403)
    assert.deepEqual(json(invite).actionErrors, ["The role 'GUEST' does not have access."])
    // The other session is unaffected.
    assert.equal(json(await t.browser('/api/me', adaCookie)).accountName, 'Acme')
  })

  it('refuses to switch to an account the user is not in, the same way whether or not it exists', async () => {
    const other = await t.account('Initech', ['initech.com'], 'bill@initech.com')
    const notMine = await t.browser('/api/switchAccount', adaCookie, { accountId: other.accountId })
    const missing = await t.browser('/api/switchAccount', adaCookie, { accountId: 99999 })
    for (const res of [notMine, missing]) {
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), {
        actionErrors: ['You are not a member of this account.'],
        code: 'ACCOUNT_NOT_AVAILABLE',
      })
    }
  })

  it('refuses switchAccount through an API key, and shows an API key only its own account', async () => {
    const res = await t.post('/api/switchAccount', acme.adminKey, { accountId: globex.accountId })
    assert.equal(res.statusCode, 403)
    assert.equal(json(res).code, 'SESSION_REQUIRED')
    const accounts = json(await t.post('/api/getAccounts', acme.adminKey))
    assert.deepEqual(accounts.accounts, [{ accountId: acme.accountId, name: 'Acme', role: 'ADMIN' }])
  })

  it('refuses a cookie-authenticated request from a foreign origin, or naming no origin', async () => {
    const foreign = await t.browser(
      '/api/inviteUsers',
      adaCookie,
      { inviteeEmail: 'eve@acme.com', inviteeRole: 'ADMIN' },
      { origin: 'https://evil.example' },
    )
    assert.equal(foreign.statusCode, 403)
    assert.deepEqual(json(foreign), {
      actionErrors: ['Cross-site request refused.'],
      code: 'CROSS_SITE_REQUEST',
    })
    const bare = await t.post('/api/removeUser', undefined, { email: 'bob@acme.com' }, { cookie: adaCookie })
    assert.equal(bare.statusCode, 403)
    const viaReferer = await t.post(
      '/api/getTeamData',
      undefined,
      {},
      { cookie: adaCookie, referer: `${ORIGIN}/team` },
    )
    assert.equal(viaReferer.statusCode, 200)
    const team = json<any[]>(await t.post('/api/getTeamData', acme.adminKey))
    assert.equal(
      team.some((i) => i.login === 'eve@acme.com'),
      false,
    )
    const login = await t.post(
      '/api/login',
      undefined,
      { email: 'ada@acme.com', password: PASSWORD },
      { origin: 'https://evil.example' },
    )
    assert.equal(login.statusCode, 403)
  })

  it("manages the user's own API keys through a session, which an API key may not", async () => {
    const created = await t.browser('/api/addApiToken', adaCookie, { name: 'laptop' })
    assert.equal(created.statusCode, 200)
    const [token] = json(created).apiTokenList
    assert.equal(token.name, 'laptop')
    assert.equal((await t.post('/api/getTeamData', token.key)).statusCode, 200)
    const listed = json(await t.browser('/api/fetchApiTokens', adaCookie)).apiTokenList
    assert.ok(listed.some((k: any) => k.id === token.id && k.key === undefined))
    assert.equal((await t.post('/api/fetchApiTokens', token.key)).statusCode, 403)
    const deleted = await t.browser('/api/deleteApiToken', adaCookie, { apiTokenId: token.id })
    assert.deepEqual(json(deleted), { apiTokenDeleted: true })
    assert.equal((await t.post('/api/getTeamData', token.key)).statusCode, 401)
  })

  it("keeps the tokenUtility Akto's token pages send and answers it as utility, EXTERNAL_API by default", async () => {
    const add = (body: object) => t.browser('/api/addApiToken', adaCookie, body)
    const ids: Record<string, number> = {}
    for (const [name, body, utility] of [
      ['burp', { name: 'burp', tokenUtility: 'BURP' }, 'BURP'],
      ['ci', { name: 'ci', tokenUtility: 'CICD' }, 'CICD'],
      ['plain', { name: 'plain' }, 'EXTERNAL_API'],
    ] as const) {
      const res = await add(body)
      assert.equal(res.statusCode, 200, res.body)
      const [token] = json(res).apiTokenList
      assert.equal(token.utility, utility)
      ids[name] = token.id
    }
    const listed = json(await t.browser('/api/fetchApiTokens', adaCookie)).apiTokenList
    // The dashboard's Burp page keeps `x.utility === 'BURP'`.
    assert.deepEqual(
      listed.filter((k: any) => k.utility === 'BURP').map((k: any) => k.id),
      [ids.burp],
    )
    assert.equal(listed.find((k: any) => k.id === ids.ci).utility, 'CICD')
    assert.equal(listed.find((k: any) => k.id === ids.plain).utility, 'EXTERNAL_API')
    // The same body with a utility Akto does not have: 422, and no key.
    const refused = await add({ name: 'ci', tokenUtility: 'GITHUB' })
    assert.equal(refused.statusCode, 422)
    assert.equal(json(refused).code, 'INVALID_TOKEN_UTILITY')
    assert.equal(json(await t.browser('/api/fetchApiTokens', adaCookie)).apiTokenList.length, listed.length)
  })

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const cookie = await t.login('ada@acme.com', PASSWORD)
    const res = await t.browser('/api/logout', cookie)
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), {})
    const cleared = res.cookies.find((c) => c.name === 'roster_session')!
    assert.equal(cleared.value, '')
    assert.equal((await t.browser('/api/me', cookie)).statusCode, 401)
    assert.equal((await t.browser('/api/logout', cookie)).statusCode, 200)
    assert.equal((await t.browser('/api/me', adaCookie)).statusCode, 200)
  })

  it('answers 401 to an unknown or malformed session cookie', async () => {
    for (const cookie of ['roster_session=' + 'A'.repeat(43), 'roster_session=garbage']) {
      const res = await t.browser('/api/getTeamData', cookie)
      assert.equal(res.statusCode, 401)
      assert.equal(json(res).code, 'UNAUTHENTICATED')
    }
  })

  it("ends a removed member's sessions for that account at once", async () => {
    await t.member(acme.accountId, 'carl@acme.com', 'MEMBER')
    await t.password('carl@acme.com', PASSWORD)
    const cookie = await t.login('carl@acme.com', PASSWORD)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 200)
    assert.equal((await t.post('/api/removeUser', acme.adminKey, { email: 'carl@acme.com' })).statusCode, 200)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 401)
  })

  it('expires a session after the idle time, and after the absolute lifetime even when in use', async () => {
    const idle = await t.login('ada@acme.com', PASSWORD)
    const busy = await t.login('ada@acme.com', PASSWORD)
    // Every 50 minutes (idle limit 60): the busy session stays alive, the idle one dies.
    t.clock.advance(50 * 60_000)
    assert.equal((await t.browser('/api/me', busy)).statusCode, 200)
    t.clock.advance(50 * 60_000)
    assert.equal((await t.browser('/api/me', idle)).statusCode, 401)
    assert.equal((await t.browser('/api/me', busy)).statusCode, 200)
    // 100 minutes in; the absolute limit is 120.
    t.clock.advance(25 * 60_000)
    assert.equal((await t.browser('/api/me', busy)).statusCode, 401)
  })
})

describe('sign-in rate limit and Secure cookies', () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({
      env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_WINDOW: '3600', PUBLIC_URL: 'https://roster.acme.com' },
    })
    await t.account('Acme', ['acme.com'])
    await t.password('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const res = await t.post('/api/login', undefined, { email: 'ada@acme.com', password: PASSWORD })
    assert.equal(res.statusCode, 200)
    assert.equal(res.cookies.find((c) => c.name === 'roster_session')!.secure, true)
    assert.ok(sessionCookie(res))
  })

  it('limits sign-in attempts per client address with 429 and Retry-After, even with the right password', async () => {
    const attempt = (password: string, remoteAddress = '10.0.0.9') =>
      t.server.inject({
        method: 'POST',
        url: '/api/login',
        remoteAddress,
        payload: { email: 'ada@acme.com', password },
      })
    const statuses = [
      (await attempt('wrong-password')).statusCode,
      (await attempt('wrong-password')).statusCode,
      (await attempt('wrong-password')).statusCode,
    ]
    assert.deepEqual(statuses, [401, 401, 401])
    const limited = await attempt(PASSWORD)
    assert.equal(limited.statusCode, 429)
    assert.equal(json(limited).code, 'RATE_LIMITED')
    assert.ok(limited.headers['retry-after'])
    assert.equal((await attempt(PASSWORD, '10.0.0.10')).statusCode, 200)
  })
})
