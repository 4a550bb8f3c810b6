import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'
import { everyStoredRow, sha256Hex, userIdOf } from '../helpers/stored.ts'

const PASSWORD = 'tangerine-octopus-41'

/** What an authenticator app shows for `secret` at `timestamp`. */
function codeAt(secret: string, timestamp: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, period: 30, timestamp })
}

describe('two-factor (TOTP): enrolment, sign-in with a code, replay, drift, recovery codes, lockout', () => {
  let t: TestApp
  let adaKey: string
  let secret: string
  let recoveryCodes: string[]

  before(async () => {
    // Start on a step boundary, so "the next step" is exactly 30 s away.
    const start = Math.ceil(Date.now() / 30_000) * 30_000 + 1000
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' }, clock: undefined })
    t.clock.advance(start - t.clock())
    adaKey = (await t.account('Acme', ['acme.com'])).adminKey
    await t.password('ada@acme.com', PASSWORD)
  })
  after(() => t.close())

  /** Moves to a step no code was used in yet. */
  const freshSteps = () => t.clock.advance(10 * 60_000)
  const login = () => t.post('/api/login', undefined, { email: 'ada@acme.com', password: PASSWORD })
  const mfaToken = async () => {
    const res = await login()
    assert.equal(res.statusCode, 200)
    return json(res).mfaToken as string
  }
  const verify = (body: object) => t.post('/api/verifyMfa', undefined, body)

  it('enrols: a secret, its otpauth URL and a QR code; a wrong first code is refused; the right one gives 10 recovery codes', async () => {
    const cookie = await t.login('ada@acme.com', PASSWORD)
    const started = await t.browser('/api/startTotp', cookie)
    assert.equal(started.statusCode, 200)
    const body = json(started)
    secret = body.secret
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.match(body.otpauthUrl, /^otpauth:\/\/totp\/Roster:ada%40acme\.com\?/)
    assert.match(body.otpauthUrl, new RegExp(`secret=${secret}`))
    assert.match(body.qrCode, /^data:image\/svg\+xml;base64,/)
    assert.match(Buffer.from(body.qrCode.split(',')[1], 'base64').toString(), /^<svg/)

    const wrong = await t.browser('/api/confirmTotp', cookie, { code: codeAt(secret, t.clock() + 120_000) })
    assert.equal(wrong.statusCode, 422)
    assert.deepEqual(json(wrong), { actionErrors: ['The code is not valid.'], code: 'INVALID_MFA_CODE' })

    const confirmed = await t.browser('/api/confirmTotp', cookie, { code: codeAt(secret, t.clock()) })
    assert.equal(confirmed.statusCode, 200)
    recoveryCodes = json(confirmed).recoveryCodes
    assert.equal(recoveryCodes.length, 10)
    assert.equal(new Set(recoveryCodes).size, 10)
    for (const code of recoveryCodes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/)

    const status = await t.browser('/api/fetchSecurityStatus', cookie)
    assert.deepEqual(json(status), {
      totpEnabled: true,
      recoveryCodesLeft: 10,
      requireMfa: false,
      mfaEnrolmentRequired: false,
    })
    const again = await t.browser('/api/startTotp', cookie)
    assert.equal(again.statusCode, 422)
    assert.equal(json(again).code, 'TOTP_ALREADY_ENABLED')
  })

  it('stores the recovery codes only as SHA-256 hashes: no code from the enrolment answer is anywhere in the database', async () => {
    const userId = await userIdOf(t, 'ada@acme.com')
    const rows = await t.database.db
      .selectFrom('recovery_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .execute()
    assert.deepEqual(
      rows.map((r) => r.code_hash).sort(),
      recoveryCodes.map((code) => sha256Hex(code.replace('-', ''))).sort(),
    )
    const stored = await everyStoredRow(t)
    assert.ok(stored.includes(rows[0]!.code_hash), 'the dump does not reach the recovery codes')
    for (const code of recoveryCodes) {
      assert.ok(!stored.includes(code), `${code} is stored in plain text`)
      assert.ok(!stored.includes(code.replace('-', '')), `${code} is stored in plain text`)
    }
  })

  it('refuses enrolment through an API key', async () => {
    const res = await t.post('/api/startTotp', adaKey)
    assert.equal(res.statusCode, 403)
    assert.equal(json(res).code, 'SESSION_ONLY')
  })

  it('answers a correct password with mfaRequired and an mfaToken, and no session; the code completes the sign-in', async () => {
    freshSteps()
    const res = await login()
    assert.equal(res.statusCode, 200)
    assert.deepEqual(Object.keys(json(res)).sort(), ['mfaRequired', 'mfaToken'])
    assert.equal(json(res).mfaRequired, true)
    assert.equal(res.cookies.length, 0)
    const done = await verify({ mfaToken: json(res).mfaToken, code: codeAt(secret, t.clock()) })
    assert.equal(done.statusCode, 200)
    assert.equal(json(done).email, 'ada@acme.com')
    assert.equal((await t.browser('/api/me', sessionCookie(done))).statusCode, 200)
  })

  it('refuses a code already used (replay), and accepts the next step’s code', async () => {
    freshSteps()
    const code = codeAt(secret, t.clock())
    assert.equal((await verify({ mfaToken: await mfaToken(), code })).statusCode, 200)
    const replay = await verify({ mfaToken: await mfaToken(), code })
    assert.equal(replay.statusCode, 422)
    assert.equal(json(replay).code, 'INVALID_MFA_CODE')
    t.clock.advance(30_000)
    assert.equal(
      (await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock()) })).statusCode,
      200,
    )
  })

  it('accepts one step of clock drift either way, and refuses two', async () => {
    freshSteps()
    const twoAhead = await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock() + 60_000) })
    assert.equal(twoAhead.statusCode, 422)
    assert.equal(json(twoAhead).code, 'INVALID_MFA_CODE')
    const twoBehind = await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock() - 60_000) })
    assert.equal(twoBehind.statusCode, 422)
    assert.equal(
      (await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock() - 30_000) })).statusCode,
      200,
    )
    assert.equal(
      (await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock() + 30_000) })).statusCode,
      200,
    )
  })

  it('accepts a recovery code once', async () => {
    const code = recoveryCodes[0]!
    const first = await verify({ mfaToken: await mfaToken(), recoveryCode: code.toUpperCase() })
    assert.equal(first.statusCode, 200)
    const again = await verify({ mfaToken: await mfaToken(), recoveryCode: code })
    assert.equal(again.statusCode, 422)
    assert.equal(json(again).code, 'INVALID_MFA_CODE')
    const cookie = sessionCookie(first)
    assert.equal(json(await t.browser('/api/fetchSecurityStatus', cookie)).recoveryCodesLeft, 9)
  })

  it('records a sign-in with a recovery code in the audit log, with the codes left', async () => {
    const recoveryEntries = async () =>
      json<{ auditLogs: { action: string; target: string | null; details: unknown }[] }>(
        await t.post('/api/getAuditLogs', adaKey, { limit: 200 }),
      ).auditLogs.filter((e) => e.action === 'mfa.recovery_code_used')
    const before = (await recoveryEntries()).length
    // The control: a sign-in with a code from the app writes no such entry.
    freshSteps()
    assert.equal(
      (await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock()) })).statusCode,
      200,
    )
    assert.equal((await recoveryEntries()).length, before)
    const used = await verify({ mfaToken: await mfaToken(), recoveryCode: recoveryCodes[1]! })
    assert.equal(used.statusCode, 200)
    const entries = await recoveryEntries()
    assert.equal(entries.length, before + 1)
    // Newest first.
    assert.equal(entries[0]!.target, 'ada@acme.com')
    assert.deepEqual(entries[0]!.details, { recoveryCodesLeft: 8 })
  })

  it('allows an mfaToken 5 tries: after 5 wrong codes the right one is refused too', async () => {
    freshSteps()
    const token = await mfaToken()
    for (let i = 0; i < 5; i++) {
      const wrong = await verify({ mfaToken: token, code: codeAt(secret, t.clock() + 300_000 + i * 30_000) })
      assert.equal(wrong.statusCode, 422)
      assert.equal(json(wrong).code, 'INVALID_MFA_CODE')
    }
    const locked = await verify({ mfaToken: token, code: codeAt(secret, t.clock()) })
    assert.equal(locked.statusCode, 401)
    assert.deepEqual(json(locked), {
      actionErrors: ['This sign-in step has expired or had too many tries; sign in again.'],
      code: 'MFA_TOKEN_INVALID',
    })
    // The code itself was not spent: a new sign-in takes it.
    assert.equal(
      (await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock()) })).statusCode,
      200,
    )
  })

  it('lets an mfaToken live 5 minutes', async () => {
    freshSteps()
    const late = await mfaToken()
    const inTime = await mfaToken()
    t.clock.advance(5 * 60_000 - 1000)
    assert.equal((await verify({ mfaToken: inTime, code: codeAt(secret, t.clock()) })).statusCode, 200)
    t.clock.advance(2000)
    const res = await verify({ mfaToken: late, code: codeAt(secret, t.clock() + 30_000) })
    assert.equal(res.statusCode, 401)
    assert.equal(json(res).code, 'MFA_TOKEN_INVALID')
  })

  it('refuses a forged mfaToken', async () => {
    freshSteps()
    const real = await mfaToken()
    const forged = `${real.slice(0, 42)}${real[42] === 'A' ? 'B' : 'A'}`
    const res = await verify({ mfaToken: forged, code: codeAt(secret, t.clock()) })
    assert.equal(res.statusCode, 401)
    assert.equal(json(res).code, 'MFA_TOKEN_INVALID')
  })

  it('turns two-factor off with a current code (not a wrong one); sign-in then needs the password only', async () => {
    freshSteps()
    const done = await verify({ mfaToken: await mfaToken(), code: codeAt(secret, t.clock()) })
    const cookie = sessionCookie(done)
    t.clock.advance(30_000)
    const wrong = await t.browser('/api/disableTotp', cookie, { code: codeAt(secret, t.clock() + 120_000) })
    assert.equal(wrong.statusCode, 422)
    assert.equal(json(wrong).code, 'INVALID_MFA_CODE')
    assert.equal(
      (await t.browser('/api/disableTotp', cookie, { code: codeAt(secret, t.clock()) })).statusCode,
      200,
    )
    const plain = await login()
    assert.equal(plain.statusCode, 200)
    assert.equal(json(plain).email, 'ada@acme.com')
    assert.ok(plain.cookies.some((c) => c.name === 'roster_session'))
  })
})

describe('two-factor: turning it off is a guess at a one-time code, limited per address', () => {
  it('answers 429 RATE_LIMITED to the disableTotp after LOGIN_RATE_LIMIT tries, even with the right code, and leaves two-factor on', async () => {
    const t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_WINDOW: '3600' } })
    try {
      await t.account('Acme', ['acme.com'])
      await t.password('ada@acme.com', PASSWORD)
      const cookie = await t.login('ada@acme.com', PASSWORD)
      const secret = json(await t.browser('/api/startTotp', cookie)).secret as string
      const confirmed = await t.browser('/api/confirmTotp', cookie, { code: codeAt(secret, t.clock()) })
      assert.equal(confirmed.statusCode, 200)
      t.clock.advance(30_000)
      for (let i = 0; i < 3; i++) {
        const wrong = await t.browser('/api/disableTotp', cookie, {
          code: codeAt(secret, t.clock() + 300_000 + i * 30_000),
        })
        assert.equal(wrong.statusCode, 422)
        assert.equal(json(wrong).code, 'INVALID_MFA_CODE')
      }
      const limited = await t.browser('/api/disableTotp', cookie, { code: codeAt(secret, t.clock()) })
      assert.equal(limited.statusCode, 429)
      assert.equal(json(limited).code, 'RATE_LIMITED')
      assert.equal(json(await t.browser('/api/fetchSecurityStatus', cookie)).totpEnabled, true)
    } finally {
      await t.close()
    }
  })
})
