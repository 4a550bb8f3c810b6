/**
 * The operator's ways back in for a user (`roster user set-password`, `roster user
 * reset-two-factor`): each ends the user's sessions, as a reset does, and is in the audit log.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { roster } from '../helpers/cli.ts'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'

const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'an entirely new passphrase'
const ADA = 'ada@acme.com'

const codeNow = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() })

describe('the operator restores a user’s way in', () => {
  let t: TestApp
  let env: Record<string, string>
  let accountId: number

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' }, clock: undefined })
    ;({ accountId } = await t.account('Acme', ['acme.com']))
    await t.password(ADA, PASSWORD)
    env = { DATABASE_URL: t.testDb.url, LOG_LEVEL: 'silent' }
  })
  after(() => t.close())

  const login = (email: string, password = PASSWORD) => t.post('/api/login', undefined, { email, password })
  const signedIn = async (cookie: string) => (await t.browser('/api/me', cookie)).statusCode
  const auditActions = async () => {
    const res = await roster(['audit', 'list', '--account', String(accountId), '--json'], env)
    assert.equal(res.code, 0, res.stderr)
    return JSON.parse(res.stdout).auditLogs as { action: string; details?: Record<string, unknown> }[]
  }

  it('turns two-factor off for a user who lost their authenticator, ending their sessions; not when it is off', async () => {
    const cookie = sessionCookie(await login(ADA))
    const started = json(await t.browser('/api/startTotp', cookie, {}))
    t.clock.advance(Date.now() - t.clock())
    const confirmed = await t.browser('/api/confirmTotp', cookie, { code: codeNow(started.secret) })
    assert.equal(confirmed.statusCode, 200, confirmed.body)
    // The control: with two-factor on, a password alone gets no session.
    assert.equal(json(await login(ADA)).mfaRequired, true)

    const reset = await roster(['user', 'reset-two-factor', '--email', 'Ada@Acme.com', '--json'], env)
    assert.equal(reset.code, 0, reset.stderr)
    assert.deepEqual(JSON.parse(reset.stdout), { userId: 1, sessionsEnded: 1 })
    assert.equal(await signedIn(cookie), 401)
    const plain = await login(ADA)
    assert.equal(plain.statusCode, 200)
    assert.equal(json(plain).mfaRequired, undefined)
    assert.equal(await signedIn(sessionCookie(plain)), 200)
    const entry = (await auditActions()).find((e) => e.action === 'mfa.disable')
    assert.ok(entry, 'mfa.disable in the audit log')

    const again = await roster(['user', 'reset-two-factor', '--email', ADA], env)
    assert.equal(again.code, 1)
    assert.match(again.stderr, /Two-factor authentication is not on\./)
    const stranger = await roster(['user', 'reset-two-factor', '--email', 'nobody@acme.com'], env)
    assert.equal(stranger.code, 1)
    assert.match(stranger.stderr, /User doesn't exist/)
  })

  it('sets a password, ending every session signed in with the old one', async () => {
    // A user of this case's own, so the count is of its two sessions whatever ran before.
    const bob = 'bob@acme.com'
    const { userId } = await t.member(accountId, bob, 'MEMBER', 'Bob')
    await t.password(bob, PASSWORD)
    const cookies = [sessionCookie(await login(bob)), sessionCookie(await login(bob))]
    for (const cookie of cookies) assert.equal(await signedIn(cookie), 200)
    const set = await roster(['user', 'set-password', '--email', bob, '--json'], env, `${NEW_PASSWORD}\n`)
    assert.equal(set.code, 0, set.stderr)
    assert.deepEqual(JSON.parse(set.stdout), { userId, sessionsEnded: cookies.length })
    for (const cookie of cookies) assert.equal(await signedIn(cookie), 401)
    assert.equal((await login(bob)).statusCode, 401)
    assert.equal((await login(bob, NEW_PASSWORD)).statusCode, 200)
    assert.ok((await auditActions()).some((e) => e.action === 'password.set_by_operator'))
  })
})
