import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'

const PASSWORD = 'tangerine-octopus-41'
/** What a session may still call before it enrols: reading about itself (self:read), and enrolling. */
const ENROLMENT = [
  '/api/fetchUserLastLoginTs',
  '/api/me',
  '/api/getAccounts',
  '/api/fetchSecurityStatus',
  '/api/startTotp',
  '/api/confirmTotp',
  '/api/passkeyRegistrationOptions',
  '/api/registerPasskey',
]

describe('the account policy requiring two-factor: POST /api/setAccountPolicy', () => {
  let t: TestApp
  let adaKey: string
  let bobKey: string
  let authenticated: string[]

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    adaKey = (await t.account('Acme', ['acme.com'])).adminKey
    const acme = 1
    bobKey = (await t.member(acme, 'bob@acme.com', 'MEMBER')).key
    await t.password('bob@acme.com', PASSWORD)
    // Every authenticated endpoint, from the OpenAPI document the routes generate.
    const doc = json(await t.server.inject({ method: 'GET', url: '/openapi.json' }))
    authenticated = Object.entries(doc.paths as Record<string, { post?: { security?: unknown[] } }>)
      .filter(([, item]) => item.post?.security?.length)
      .map(([path]) => path)
  })
  after(() => t.close())

  it('is ADMIN only', async () => {
    const res = await t.post('/api/setAccountPolicy', bobKey, { requireMfa: true })
    assert.equal(res.statusCode, 403)
    assert.equal(json(res).code, 'FORBIDDEN_ROLE')
  })

  it('leaves a password-only session free while the account does not require two-factor', async () => {
    const cookie = await t.login('bob@acme.com', PASSWORD)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 200)
  })

  it('once required, answers every endpoint but enrolment 403 MFA_ENROLMENT_REQUIRED for a member without it, until they enrol', async () => {
    const set = await t.post('/api/setAccountPolicy', adaKey, { requireMfa: true })
    assert.equal(set.statusCode, 200)
    assert.deepEqual(json(set), { requireMfa: true })

    const cookie = await t.login('bob@acme.com', PASSWORD)
    const gated = authenticated.filter((path) => !ENROLMENT.includes(path))
    assert.ok(gated.length >= 15, `only ${gated.length} endpoints found`)
    for (const path of gated) {
      const res = await t.browser(path, cookie, {})
      assert.equal(res.statusCode, 403, path)
      assert.deepEqual(
        json(res),
        {
          actionErrors: [
            'This account requires two-factor authentication: set it up on the Security page first.',
          ],
          code: 'MFA_ENROLMENT_REQUIRED',
        },
        path,
      )
    }
    assert.equal((await t.browser('/api/me', cookie)).statusCode, 200)
    const status = json(await t.browser('/api/fetchSecurityStatus', cookie))
    assert.equal(status.mfaEnrolmentRequired, true)
    assert.equal(status.requireMfa, true)

    const { secret } = json(await t.browser('/api/startTotp', cookie))
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
    assert.equal((await t.browser('/api/confirmTotp', cookie, { code })).statusCode, 200)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 200)
    assert.equal(json(await t.browser('/api/fetchSecurityStatus', cookie)).mfaEnrolmentRequired, false)

    // Signing in again takes the second factor, and that session is free too.
    t.clock.advance(30_000)
    const step = json(await t.post('/api/login', undefined, { email: 'bob@acme.com', password: PASSWORD }))
    assert.equal(step.mfaRequired, true)
    const done = await t.post('/api/verifyMfa', undefined, {
      mfaToken: step.mfaToken,
      code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() }),
    })
    assert.equal((await t.browser('/api/getTeamData', sessionCookie(done))).statusCode, 200)
  })

  it('ends a password session left waiting for enrolment once the member turns two-factor on elsewhere', async () => {
    assert.equal((await t.post('/api/setAccountPolicy', adaKey, { requireMfa: true })).statusCode, 200)
    await t.services.accounts.addUser({ accountId: 1, email: 'dee@acme.com', role: 'GUEST' })
    await t.password('dee@acme.com', PASSWORD)
    const waiting = await t.login('dee@acme.com', PASSWORD)
    const elsewhere = await t.login('dee@acme.com', PASSWORD)
    assert.equal((await t.browser('/api/getTeamData', waiting)).statusCode, 403)
    const { secret } = json(await t.browser('/api/startTotp', elsewhere))
    const code = () => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
    assert.equal((await t.browser('/api/confirmTotp', elsewhere, { code: code() })).statusCode, 200)
    assert.equal((await t.browser('/api/getTeamData', elsewhere)).statusCode, 200)
    // The waiting session could neither enrol again nor prove a factor it never asked for.
    assert.equal((await t.browser('/api/getTeamData', waiting)).statusCode, 401)
    assert.equal((await t.browser('/api/me', waiting)).statusCode, 401)
    // Signing in again asks for the code, and that session is free.
    t.clock.advance(30_000)
    const step = json(await t.post('/api/login', undefined, { email: 'dee@acme.com', password: PASSWORD }))
    assert.equal(step.mfaRequired, true)
    const done = await t.post('/api/verifyMfa', undefined, { mfaToken: step.mfaToken, code: code() })
    assert.equal((await t.browser('/api/getTeamData', sessionCookie(done))).statusCode, 200)
  })

  it('frees waiting sessions when the policy is lifted', async () => {
    await t.services.accounts.addUser({ accountId: 1, email: 'cy@acme.com', role: 'GUEST' })
    await t.password('cy@acme.com', PASSWORD)
    const cookie = await t.login('cy@acme.com', PASSWORD)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 403)
    assert.equal((await t.post('/api/setAccountPolicy', adaKey, { requireMfa: false })).statusCode, 200)
    assert.equal((await t.browser('/api/getTeamData', cookie)).statusCode, 200)
  })
})

describe('turning two-factor off where an account requires it: POST /api/disableTotp', () => {
  let t: TestApp
  let acmeKey: string
  let cookie: string
  let secret: string

  const code = () => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
  const enrol = async () => {
    secret = json(await t.browser('/api/startTotp', cookie)).secret
    assert.equal((await t.browser('/api/confirmTotp', cookie, { code: code() })).statusCode, 200)
    t.clock.advance(30_000)
  }
  const requireMfa = async (key: string, requireMfa: boolean) =>
    assert.equal((await t.post('/api/setAccountPolicy', key, { requireMfa })).statusCode, 200)

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    acmeKey = (await t.account('Acme', ['acme.com'])).adminKey
    await t.account('Globex', ['globex.com'])
    await t.services.accounts.addUser({ accountId: 1, email: 'bob@acme.com', role: 'MEMBER' })
    await t.services.accounts.addUser({ accountId: 2, email: 'bob@acme.com', role: 'MEMBER' })
    await t.password('bob@acme.com', PASSWORD)
    cookie = await t.login('bob@acme.com', PASSWORD)
    assert.equal((await t.browser('/api/switchAccount', cookie, { accountId: 1 })).statusCode, 200)
  })
  after(() => t.close())

  it('refuses it 409 MFA_REQUIRED_BY_ACCOUNT with the right code, leaves two-factor on and the code unspent; with the requirement lifted, the same code turns it off', async () => {
    await enrol()
    await requireMfa(acmeKey, true)
    const refused = await t.browser('/api/disableTotp', cookie, { code: code() })
    assert.equal(refused.statusCode, 409)
    assert.deepEqual(json(refused), {
      actionErrors: ['Your account requires two-factor authentication: add a passkey before turning it off.'],
      code: 'MFA_REQUIRED_BY_ACCOUNT',
    })
    assert.equal(json(await t.browser('/api/fetchSecurityStatus', cookie)).totpEnabled, true)

    await requireMfa(acmeKey, false)
    assert.equal((await t.browser('/api/disableTotp', cookie, { code: code() })).statusCode, 200)
    assert.equal(json(await t.browser('/api/fetchSecurityStatus', cookie)).totpEnabled, false)
  })

  it('refuses it in an account without the requirement when another account of the user requires it', async () => {
    await enrol()
    assert.equal((await t.browser('/api/switchAccount', cookie, { accountId: 2 })).statusCode, 200)
    await requireMfa(acmeKey, true)
    const refused = await t.browser('/api/disableTotp', cookie, { code: code() })
    assert.equal(refused.statusCode, 409)
    assert.equal(json(refused).code, 'MFA_REQUIRED_BY_ACCOUNT')

    await requireMfa(acmeKey, false)
    assert.equal((await t.browser('/api/disableTotp', cookie, { code: code() })).statusCode, 200)
  })
})
