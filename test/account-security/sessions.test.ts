/**
 * One's own sessions and password over the API: ending one session by id (only one's own), and
 * changing the password, which ends every other session and keeps this one.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'

const ADA = { email: 'ada@acme.com', password: 'tangerine-octopus-41' }
const BOB = { email: 'bob@acme.com', password: 'marmalade-giraffe-77' }
const CY = { email: 'cy@acme.com', password: 'saffron-walrus-58' }

describe('POST /api/revokeSession and /api/changePassword', { concurrency: false }, () => {
  let t: TestApp

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    await t.account('Acme', ['acme.com'])
    await t.password(ADA.email, ADA.password)
    await t.services.accounts.addUser({ accountId: 1, email: BOB.email, role: 'MEMBER' })
    await t.password(BOB.email, BOB.password)
    await t.services.accounts.addUser({ accountId: 1, email: CY.email, role: 'MEMBER' })
    await t.password(CY.email, CY.password)
  })
  after(() => t.close())

  const signedIn = async (cookie: string) => (await t.browser('/api/me', cookie)).statusCode
  /** The id of the session a cookie stands for, as the session list marks it. */
  async function idOf(cookie: string): Promise<number> {
    const { sessions } = json<{ sessions: { id: number; current: boolean }[] }>(
      await t.browser('/api/fetchSessions', cookie),
    )
    return sessions.find((s) => s.current)!.id
  }
  const listedIds = async (cookie: string) =>
    json<{ sessions: { id: number }[] }>(await t.browser('/api/fetchSessions', cookie)).sessions.map(
      (s) => s.id,
    )

  it('ends one of the user’s own sessions by id, keeps this one, and refuses the id of another user’s session', async () => {
    const mine = await t.login(ADA.email, ADA.password)
    const other = await t.login(ADA.email, ADA.password)
    const bobs = await t.login(BOB.email, BOB.password)
    const otherId = await idOf(other)
    const bobsId = await idOf(bobs)
    assert.ok((await listedIds(mine)).includes(otherId))

    // Bob's session, by its real id: not Ada's to end, answered as no such session.
    const refused = await t.browser('/api/revokeSession', mine, { id: bobsId })
    assert.equal(refused.statusCode, 404)
    assert.equal(json(refused).code, 'SESSION_NOT_FOUND')
    assert.equal(await signedIn(bobs), 200)

    // The control: Ada's own other session, by its id.
    const revoked = await t.browser('/api/revokeSession', mine, { id: otherId })
    assert.equal(revoked.statusCode, 200, revoked.body)
    assert.equal(await signedIn(other), 401)
    assert.equal(await signedIn(mine), 200)
    assert.equal(await signedIn(bobs), 200)
    assert.ok(!(await listedIds(mine)).includes(otherId))
  })

  it('refuses a wrong current password and changes nothing; the right one sets the new password, ends the other sessions and keeps this one', async () => {
    const NEW = 'violet-harbour-sings-7'
    const mine = await t.login(ADA.email, ADA.password)
    const other = await t.login(ADA.email, ADA.password)
    const bobs = await t.login(BOB.email, BOB.password)
    const login = (password: string) => t.post('/api/login', undefined, { email: ADA.email, password })

    const wrong = await t.browser('/api/changePassword', mine, {
      currentPassword: `${ADA.password}x`,
      newPassword: NEW,
    })
    assert.equal(wrong.statusCode, 422)
    assert.deepEqual(json(wrong), {
      actionErrors: ['The current password is not correct.'],
      code: 'CURRENT_PASSWORD_WRONG',
    })
    assert.equal(await signedIn(other), 200)
    assert.equal((await login(NEW)).statusCode, 401)
    assert.equal((await login(ADA.password)).statusCode, 200)

    // The control: the same request with the right current password.
    const changed = await t.browser('/api/changePassword', mine, {
      currentPassword: ADA.password,
      newPassword: NEW,
    })
    assert.equal(changed.statusCode, 200, changed.body)
    // `other`, the sign-in just above, and the previous test's session.
    assert.equal(json(changed).sessionsEnded, 3)
    assert.equal(await signedIn(other), 401)
    assert.equal(await signedIn(mine), 200)
    assert.equal(await signedIn(bobs), 200, 'another user’s session is not touched')
    assert.deepEqual(await listedIds(mine), [await idOf(mine)])
    assert.equal((await login(ADA.password)).statusCode, 401)
    const fresh = await login(NEW)
    assert.equal(fresh.statusCode, 200)
    assert.equal(await signedIn(sessionCookie(fresh)), 200)
  })
  it('ends a sign-in still waiting for its second factor when the password changes: that mfaToken is refused', async () => {
    const NEW = 'juniper-lantern-hums-3'
    const mine = await t.login(CY.email, CY.password)
    const { secret } = json(await t.browser('/api/startTotp', mine))
    const code = () => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
    assert.equal((await t.browser('/api/confirmTotp', mine, { code: code() })).statusCode, 200)
    t.clock.advance(30_000)
    const login = (password: string) => t.post('/api/login', undefined, { email: CY.email, password })
    const pending = json(await login(CY.password)).mfaToken as string
    const changed = await t.browser('/api/changePassword', mine, {
      currentPassword: CY.password,
      newPassword: NEW,
    })
    assert.equal(changed.statusCode, 200, changed.body)
    const stale = await t.post('/api/verifyMfa', undefined, { mfaToken: pending, code: code() })
    assert.equal(stale.statusCode, 401)
    assert.equal(json(stale).code, 'MFA_TOKEN_INVALID')
    // The control: a sign-in with the new password, and the same code.
    const fresh = json(await login(NEW)).mfaToken as string
    assert.equal(
      (await t.post('/api/verifyMfa', undefined, { mfaToken: fresh, code: code() })).statusCode,
      200,
    )
  })
})
