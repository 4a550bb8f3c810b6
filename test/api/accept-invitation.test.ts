import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeProtectedHeader } from 'jose'
import { Secret, TOTP } from 'otpauth'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'

const PASSWORD = 'tangerine-octopus-41'
const ORIGIN = 'http://localhost:8080'
const NOT_INVITED = { actionErrors: ['Please ask admin to invite you!'], code: 'INVITATION_NOT_FOUND' }

describe('accepting an invitation: /addUserToAccount, /api/getInvitationInfo, /api/acceptInvitation', () => {
  let t: TestApp
  let acme: { accountId: number; adminKey: string }

  async function invite(email: string, role = 'DEVELOPER', key = acme.adminKey) {
    const res = await t.post('/api/inviteUsers', key, { inviteeEmail: email, inviteeRole: role })
    assert.equal(res.statusCode, 200, res.body)
    const link = new URL(json(res).finalInviteCode)
    return {
      link,
      signupInvitationCode: link.searchParams.get('signupInvitationCode')!,
      signupEmailId: link.searchParams.get('signupEmailId')!,
    }
  }
  const ref = (i: { signupInvitationCode: string; signupEmailId: string }) => ({
    signupInvitationCode: i.signupInvitationCode,
    signupEmailId: i.signupEmailId,
  })
  const accept = (body: Record<string, unknown>) =>
    t.post('/api/acceptInvitation', undefined, body, { origin: ORIGIN })
  const info = (body: Record<string, unknown>) => t.post('/api/getInvitationInfo', undefined, body)

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    acme = await t.account('Acme <R&D>', ['acme.com'])
    await t.password('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  it('describes the invitation to whoever holds the link', async () => {
    const inv = await invite('bob@acme.com')
    const res = await info(ref(inv))
    assert.equal(res.statusCode, 200)
    const body = json(res)
    assert.deepEqual(
      { ...body, expiresAt: undefined },
      {
        email: 'bob@acme.com',
        accountName: 'Acme <R&D>',
        inviterName: 'Ada',
        inviterEmail: 'ada@acme.com',
        role: 'DEVELOPER',
        expiresAt: undefined,
        userExists: false,
        ssoAvailable: false,
      },
    )
    assert.equal(Date.parse(body.expiresAt), t.clock() + 604800_000)
  })

  it('opens the link as the web page, under a strict policy that leaks no referrer', async () => {
    const inv = await invite('page@acme.com', 'GUEST')
    const res = await t.server.inject({ method: 'GET', url: inv.link.pathname + inv.link.search })
    assert.match(res.headers['content-type'] as string, /^text\/html/)
    assert.equal(res.headers['referrer-policy'], 'no-referrer')
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'; style-src 'self'/)
    // The page itself asks getInvitationInfo (test/browser covers what it shows).
    const bad = await info({ signupInvitationCode: 'nope', signupEmailId: 'x@acme.com' })
    assert.equal(bad.statusCode, 422)
    assert.deepEqual(json(bad), NOT_INVITED)
  })

  it('lets a new user set a name and password, join with the invited role, and land signed in', async () => {
    const inv = await invite('cleo@acme.com', 'MEMBER')
    const res = await accept({ ...ref(inv), name: 'Cleo', password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    const body = json(res)
    assert.deepEqual(Object.keys(body).sort(), ['accountId', 'role', 'userId'])
    assert.equal(body.accountId, acme.accountId)
    assert.equal(body.role, 'MEMBER')
    const me = json(await t.browser('/api/me', sessionCookie(res)))
    assert.equal(me.email, 'cleo@acme.com')
    assert.equal(me.name, 'Cleo')
    assert.equal(me.role, 'MEMBER')
    const team = json<any[]>(await t.post('/api/getTeamData', acme.adminKey))
    assert.deepEqual(
      team.filter((i) => i.login === 'cleo@acme.com'),
      [{ id: body.userId, login: 'cleo@acme.com', name: 'Cleo', role: 'MEMBER' }],
    )
    // The password works for signing in later; the link does not work twice.
    assert.ok(await t.login('cleo@acme.com', PASSWORD))
    const again = await accept({ ...ref(inv), name: 'Cleo', password: PASSWORD })
    assert.equal(again.statusCode, 422)
    assert.deepEqual(json(again), NOT_INVITED)
  })

  it("refuses a MEMBER's invitation whose custom role was since raised above the MEMBER, and joins nobody", async () => {
    const created = await t.post('/api/createCustomRole', acme.adminKey, {
      roleName: 'LEAD2',
      baseRole: 'MEMBER',
    })
    assert.equal(created.statusCode, 200, created.body)
    const { key: memberKey } = await t.member(acme.accountId, 'mona@acme.com', 'MEMBER')
    const raised = await invite('esc@acme.com', 'LEAD2', memberKey)
    const kept = await invite('ok@acme.com', 'LEAD2', memberKey)
    const joinAs = async (email: string, inv: Awaited<ReturnType<typeof invite>>) => {
      const res = await accept({ ...ref(inv), name: email, password: PASSWORD })
      const team = json<any[]>(await t.post('/api/getTeamData', acme.adminKey))
      return [res.statusCode, json(res).code, team.some((i) => i.login === email && !i.isInvitation)]
    }
    // The control, under the role as the MEMBER granted it.
    assert.deepEqual(await joinAs('ok@acme.com', kept), [200, undefined, true])

    const update = await t.post('/api/updateCustomRole', acme.adminKey, {
      roleName: 'LEAD2',
      baseRole: 'ADMIN',
    })
    assert.equal(update.statusCode, 200, update.body)
    assert.deepEqual(await joinAs('esc@acme.com', raised), [422, 'INVITATION_ABOVE_INVITER', false])
  })

  it('lets an existing user of another account sign in with their password to join', async () => {
    const labs = await t.account('Acme Labs', ['acme.com'], 'lab@acme.com')
    const inv = await invite('ada@acme.com', 'GUEST', labs.adminKey)
    const shown = json(await info(ref(inv)))
    assert.equal(shown.userExists, true)
    assert.equal(shown.accountName, 'Acme Labs')
    const wrong = await accept({ ...ref(inv), password: 'not-my-password' })
    assert.equal(wrong.statusCode, 422)
    assert.equal(json(wrong).code, 'WRONG_PASSWORD')
    const res = await accept({ ...ref(inv), password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(json(res), { accountId: labs.accountId, userId: 1, role: 'GUEST' })
    const cookie = sessionCookie(res)
    const accounts = json(await t.browser('/api/getAccounts', cookie))
    assert.equal(accounts.currentAccountId, labs.accountId)
    assert.deepEqual(
      accounts.accounts.map((a: any) => [a.name, a.role]),
      [
        ['Acme <R&D>', 'ADMIN'],
        ['Acme Labs', 'GUEST'],
      ],
    )
    // Ada's name and password are unchanged.
    assert.equal(json(await t.browser('/api/me', cookie)).name, 'Ada')
  })

  it('lets a user with two-factor on join with their password, then sign in with their code: the password alone opens no session', async () => {
    // As Ada above, with one difference: Tia has two-factor on.
    await t.member(acme.accountId, 'tia@acme.com', 'MEMBER')
    await t.password('tia@acme.com', PASSWORD)
    const signedIn = await t.post('/api/login', undefined, { email: 'tia@acme.com', password: PASSWORD })
    const cookie = sessionCookie(signedIn)
    const { secret } = json(await t.browser('/api/startTotp', cookie))
    const code = (at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at })
    assert.equal((await t.browser('/api/confirmTotp', cookie, { code: code(t.clock()) })).statusCode, 200)

    const labs = await t.account('Acme Studio', ['acme.com'], 'stu@acme.com')
    const inv = await invite('tia@acme.com', 'GUEST', labs.adminKey)
    const res = await accept({ ...ref(inv), password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(json(res), {
      accountId: labs.accountId,
      userId: json(await t.browser('/api/me', cookie)).userId,
      role: 'GUEST',
      signInRequired: true,
    })
    assert.equal(res.headers['set-cookie'], undefined)
    // She is a member: signing in asks for her code, and then shows the account.
    const login = json(await t.post('/api/login', undefined, { email: 'tia@acme.com', password: PASSWORD }))
    assert.equal(login.mfaRequired, true)
    const verified = await t.post('/api/verifyMfa', undefined, {
      mfaToken: login.mfaToken,
      code: code(t.clock() + 30_000),
    })
    assert.equal(verified.statusCode, 200, verified.body)
    const accounts = json(await t.browser('/api/getAccounts', sessionCookie(verified)))
    assert.deepEqual(
      accounts.accounts.map((a: any) => [a.name, a.role]),
      [
        ['Acme <R&D>', 'MEMBER'],
        ['Acme Studio', 'GUEST'],
      ],
    )
  })

  it("refuses a link opened with someone else's email", async () => {
    const inv = await invite('dan@acme.com')
    for (const res of [
      await info({ ...ref(inv), signupEmailId: 'eve@acme.com' }),
      await accept({ ...ref(inv), signupEmailId: 'eve@acme.com', password: PASSWORD }),
    ]) {
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), {
        actionErrors: ["This invitation doesn't belong to you!"],
        code: 'INVITATION_WRONG_USER',
      })
    }
  })

  it('refuses unknown, replaced and cancelled codes', async () => {
    const old = await invite('eli@acme.com', 'GUEST')
    const replacing = await invite('eli@acme.com', 'DEVELOPER')
    const cancelled = await invite('fay@acme.com')
    await t.post('/api/removeUser', acme.adminKey, { email: 'fay@acme.com' })
    const cases = [
      { signupInvitationCode: 'not-a-code', signupEmailId: 'eli@acme.com' },
      { signupEmailId: 'eli@acme.com' },
      ref(old),
      ref(cancelled),
    ]
    for (const body of cases) {
      for (const res of [await info(body), await accept({ ...body, password: PASSWORD })]) {
        assert.equal(res.statusCode, 422)
        assert.deepEqual(json(res), NOT_INVITED)
      }
    }
    assert.equal(json(await info(ref(replacing))).role, 'DEVELOPER')
  })

  it('refuses tampered codes: a changed email claim, alg none, a signature from another invitation', async () => {
    const a = await invite('gus@acme.com')
    const b = await invite('hal@acme.com')
    const [header, payload, signature] = a.signupInvitationCode.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'ivy@acme.com' })).toString('base64url')
    const none = Buffer.from(
      JSON.stringify({ alg: 'none', typ: 'JWT', kid: decodeProtectedHeader(a.signupInvitationCode).kid }),
    ).toString('base64url')
    const cases = [
      { signupInvitationCode: `${header}.${forged}.${signature}`, signupEmailId: 'ivy@acme.com' },
      { signupInvitationCode: `${none}.${payload}.`, signupEmailId: 'gus@acme.com' },
      {
        signupInvitationCode: `${header}.${payload}.${b.signupInvitationCode.split('.')[2]}`,
        signupEmailId: 'gus@acme.com',
      },
    ]
    for (const body of cases) {
      const res = await accept({ ...body, name: 'Ivy', password: PASSWORD })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), NOT_INVITED)
    }
    const team = json<any[]>(await t.post('/api/getTeamData', acme.adminKey))
    assert.equal(
      team.some((i) => i.login === 'ivy@acme.com'),
      false,
    )
  })

  it('refuses weak passwords with a Password message and keeps the link usable', async () => {
    const inv = await invite('jo@acme.com')
    for (const [password, message] of [
      ['short', 'Password must be at least 8 characters.'],
      ['password123', 'Password is too common; choose a less predictable one.'],
      [undefined, 'Password is required.'],
    ] as const) {
      const res = await accept({ ...ref(inv), password })
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), { actionErrors: [message], code: 'WEAK_PASSWORD' })
    }
    assert.equal((await info(ref(inv))).statusCode, 200)
  })

  it('accepts a code exactly once under two concurrent requests', async () => {
    const inv = await invite('kim@acme.com')
    const results = await Promise.all([
      accept({ ...ref(inv), password: PASSWORD }),
      accept({ ...ref(inv), password: PASSWORD }),
    ])
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 422])
    const team = json<any[]>(await t.post('/api/getTeamData', acme.adminKey))
    assert.equal(team.filter((i) => i.login === 'kim@acme.com').length, 1)
  })

  it('refuses an expired invitation on every path', async () => {
    const inv = await invite('lou@acme.com')
    t.clock.advance(604800_000 + 1000)
    // The page shows what getInvitationInfo answers.
    for (const res of [await info(ref(inv)), await accept({ ...ref(inv), password: PASSWORD })]) {
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), {
        actionErrors: ['This invitation has expired.'],
        code: 'INVITATION_EXPIRED',
      })
    }
  })
})
