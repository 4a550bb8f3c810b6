import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { json, sessionCookie, startTestApp, type TestApp } from '../helpers/app.ts'
import { startSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp.ts'
import { everyStoredRow, sha256Hex, userIdOf } from '../helpers/stored.ts'
import { USER, scimClient, scimToken } from '../scim/helpers.ts'

const OLD = 'tangerine-octopus-41'
const NEW = 'violet-harbour-sings-7'
const INVALID = { actionErrors: ['This link is invalid or has expired.'], code: 'INVALID_RESET_LINK' }

function tokenIn(mail: ReceivedMail): string {
  const match = /\/resetPassword\?token=([A-Za-z0-9_-]{43})\b/.exec(mail.text)
  if (!match) throw new Error(`no reset link in:\n${mail.text}`)
  return match[1]!
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

describe('password reset: POST /api/requestPasswordReset and /api/resetPassword', () => {
  let t: TestApp
  let smtp: TestSmtp
  let acmeId: number
  let acmeKey: string
  let globexId: number

  before(async () => {
    smtp = await startSmtp()
    t = await startTestApp({
      env: {
        LOGIN_RATE_LIMIT: '1000',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        PUBLIC_URL: 'https://roster.acme.com',
      },
    })
    ;({ accountId: acmeId, adminKey: acmeKey } = await t.account('Acme', ['acme.com']))
    globexId = (await t.account('Globex', ['globex.com'], 'hank@globex.com')).accountId
    await t.services.accounts.addUser({ accountId: globexId, email: 'ada@acme.com', role: 'GUEST' })
    await t.password('ada@acme.com', OLD)
  })
  after(async () => {
    await t.close()
    await smtp.close()
  })

  /** Asks for a link for `email` and returns the token of the email that arrives. */
  async function resetToken(email: string): Promise<string> {
    // A minute apart, as one link a minute per email is the limit.
    t.clock.advance(61_000)
    const before = smtp.received.length
    const res = await t.post('/api/requestPasswordReset', undefined, { email })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json(res), {})
    await t.services.outbox.deliverDue()
    const mails = await smtp.waitFor(before + 1)
    return tokenIn(mails[before]!)
  }

  const reset = (token: string, password = NEW) =>
    t.post('/api/resetPassword', undefined, { token, password })

  it('emails a link that sets a new password, ends every session of the user in all accounts, and signs in afresh', async () => {
    await t.password('ada@acme.com', OLD)
    const inAcme = await t.login('ada@acme.com', OLD)
    const inGlobex = await t.login('ada@acme.com', OLD)
    assert.equal((await t.browser('/api/switchAccount', inGlobex, { accountId: globexId })).statusCode, 200)

    const before = smtp.received.length
    const asked = await t.post('/api/requestPasswordReset', undefined, { email: ' ADA@acme.com ' })
    assert.equal(asked.statusCode, 200)
    await t.services.outbox.deliverDue()
    const [mail] = (await smtp.waitFor(before + 1)).slice(before)
    assert.deepEqual(mail!.envelopeTo, ['ada@acme.com'])
    assert.equal(mail!.header('subject'), 'Reset your Roster password')
    assert.match(mail!.text, /https:\/\/roster\.acme\.com\/resetPassword\?token=/)
    assert.match(mail!.text, /works once/)

    const res = await reset(tokenIn(mail!))
    assert.equal(res.statusCode, 200)
    assert.equal(json(res).email, 'ada@acme.com')
    const fresh = sessionCookie(res)
    assert.equal((await t.browser('/api/me', fresh)).statusCode, 200)
    for (const old of [inAcme, inGlobex]) assert.equal((await t.browser('/api/me', old)).statusCode, 401)
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: OLD })).statusCode,
      401,
    )
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'ada@acme.com', password: NEW })).statusCode,
      200,
    )
  })

  it('refuses a link used once already', async () => {
    const token = await resetToken('ada@acme.com')
    assert.equal((await reset(token)).statusCode, 200)
    const again = await reset(token, 'another-fine-passphrase')
    assert.equal(again.statusCode, 422)
    assert.deepEqual(json(again), INVALID)
  })

  it('refuses a link after PASSWORD_RESET_TTL (an hour), and accepts it just before', async () => {
    const fresh = await resetToken('ada@acme.com')
    t.clock.advance(3600_000 - 1000)
    assert.equal((await reset(fresh)).statusCode, 200)
    const late = await resetToken('ada@acme.com')
    t.clock.advance(3600_000 + 1)
    const res = await reset(late)
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), INVALID)
  })

  it('refuses a link replaced by a newer one, and accepts the newer one', async () => {
    const older = await resetToken('ada@acme.com')
    const newer = await resetToken('ada@acme.com')
    const res = await reset(older)
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), INVALID)
    assert.equal((await reset(newer)).statusCode, 200)
  })

  it('refuses a link whose user has since left every account: no password is set, and the link is used up', async () => {
    await t.services.accounts.addUser({ accountId: acmeId, email: 'kim@acme.com', role: 'MEMBER' })
    await t.password('kim@acme.com', OLD)
    const token = await resetToken('kim@acme.com')
    const removed = await t.post('/api/removeUser', acmeKey, { email: 'kim@acme.com' })
    assert.equal(removed.statusCode, 200)
    const res = await reset(token)
    assert.equal(res.statusCode, 422)
    assert.deepEqual(json(res), INVALID)
    assert.equal(res.cookies.length, 0)

    // Back in the account: the old password still signs in, and the link stays used up.
    await t.services.accounts.addUser({ accountId: acmeId, email: 'kim@acme.com', role: 'MEMBER' })
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'kim@acme.com', password: NEW })).statusCode,
      401,
    )
    assert.equal(
      (await t.post('/api/login', undefined, { email: 'kim@acme.com', password: OLD })).statusCode,
      200,
    )
    assert.deepEqual(json(await reset(token)), INVALID)
    // The control: a link asked for while a member sets the password.
    assert.equal((await reset(await resetToken('kim@acme.com'))).statusCode, 200)
  })

  it('refuses a forged token of the right shape and a malformed one', async () => {
    const valid = await resetToken('ada@acme.com')
    for (const token of [randomBytes(32).toString('base64url'), `${valid}x`, valid.slice(0, 42), '']) {
      const res = await reset(token)
      assert.equal(res.statusCode, 422)
      assert.deepEqual(json(res), INVALID)
    }
    assert.equal((await reset(valid)).statusCode, 200)
  })

  it('keeps an email’s link in the outbox until it is delivered, then only its subject and recipient', async () => {
    const asked = await t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' })
    assert.equal(asked.statusCode, 200)
    const outbox = () =>
      t.database.db
        .selectFrom('mail_outbox')
        .select(['status', 'subject', 'recipient', 'text_body', 'html_body', 'inputs'])
        .where('kind', '=', 'password_reset')
        .where('recipient', '=', 'ada@acme.com')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    const waiting = await outbox()
    assert.equal(waiting.status, 'pending')
    assert.match(waiting.inputs ?? '', /resetPassword\?token=/)
    await t.services.outbox.deliverDue()
    const delivered = await outbox()
    assert.equal(delivered.status, 'sent')
    assert.deepEqual(
      {
        subject: delivered.subject,
        recipient: delivered.recipient,
        kept: [delivered.text_body, delivered.html_body, delivered.inputs],
      },
      { subject: 'Reset your Roster password', recipient: 'ada@acme.com', kept: ['', '', null] },
    )
  })

  it('stores a reset link only as the SHA-256 of its token: once the email is delivered, the token from it is in no row', async () => {
    const token = await resetToken('ada@acme.com')
    const userId = await userIdOf(t, 'ada@acme.com')
    const rows = await t.database.db
      .selectFrom('password_resets')
      .selectAll()
      .where('user_id', '=', userId)
      .execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.token_hash, sha256Hex(token))
    assert.ok(!JSON.stringify(rows).includes(token), 'the reset row holds the token in plain text')
    const stored = await everyStoredRow(t)
    assert.ok(stored.includes(rows[0]!.token_hash))
    // Not even in the outbox: the delivered email's text is not kept.
    assert.equal(stored.includes(token), false)
    // The control: that token is the live one, the link the email carried.
    assert.equal((await reset(token)).statusCode, 200)
  })

  it('refuses a weak new password without using up the link', async () => {
    const token = await resetToken('ada@acme.com')
    const weak = await reset(token, 'short')
    assert.equal(weak.statusCode, 422)
    assert.equal(json(weak).code, 'WEAK_PASSWORD')
    assert.equal((await reset(token)).statusCode, 200)
  })

  it('lets a user without a password set a first one, and asks a user with two-factor for the code after a reset', async () => {
    const first = await reset(await resetToken('hank@globex.com'))
    assert.equal(first.statusCode, 200)
    const cookie = sessionCookie(first)
    const { secret } = json(await t.browser('/api/startTotp', cookie))
    const code = () => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
    assert.equal((await t.browser('/api/confirmTotp', cookie, { code: code() })).statusCode, 200)

    const res = await reset(await resetToken('hank@globex.com'), 'yet-another-passphrase-3')
    assert.equal(res.statusCode, 200)
    assert.equal(json(res).mfaRequired, true)
    assert.equal(res.cookies.length, 0)
    assert.equal((await t.browser('/api/me', cookie)).statusCode, 401)
    const done = await t.post('/api/verifyMfa', undefined, { mfaToken: json(res).mfaToken, code: code() })
    assert.equal(done.statusCode, 200)
    assert.equal(json(done).email, 'hank@globex.com')
  })

  it('ends a sign-in still waiting for its second factor when the password is reset: that mfaToken is refused', async () => {
    // Hank has two-factor since the test above, and this password.
    const pending = await t.post('/api/login', undefined, {
      email: 'hank@globex.com',
      password: 'yet-another-passphrase-3',
    })
    assert.equal(json(pending).mfaRequired, true)
    const res = await reset(await resetToken('hank@globex.com'), 'a-fourth-passphrase-8')
    assert.equal(json(res).mfaRequired, true)
    const userId = await userIdOf(t, 'hank@globex.com')
    const secret = (
      await t.database.db
        .selectFrom('totp_factors')
        .select('secret')
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).secret
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock() })
    const stale = await t.post('/api/verifyMfa', undefined, { mfaToken: json(pending).mfaToken, code })
    assert.equal(stale.statusCode, 401)
    assert.equal(json(stale).code, 'MFA_TOKEN_INVALID')
    // The control: the reset's own sign-in step, with the same code.
    const done = await t.post('/api/verifyMfa', undefined, { mfaToken: json(res).mfaToken, code })
    assert.equal(done.statusCode, 200)
  })

  it('lets a user provisioned over SCIM set a first password from the emailed link, and sign in with it', async () => {
    const scim = scimClient(t, await scimToken(t, acmeId))
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'sam@acme.com',
      name: { givenName: 'Sam', familyName: 'Lee' },
      emails: [{ primary: true, value: 'sam@acme.com', type: 'work' }],
      // Identity providers send one; Roster ignores it, so it signs no one in.
      password: 'provider-sent-Secret-1',
      active: true,
    })
    assert.equal(created.statusCode, 201, created.body)
    const signIn = (password: string) => t.post('/api/login', undefined, { email: 'sam@acme.com', password })
    assert.equal((await signIn('provider-sent-Secret-1')).statusCode, 401)

    const res = await reset(await resetToken('sam@acme.com'), NEW)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(json(res).email, 'sam@acme.com')
    const signedIn = await signIn(NEW)
    assert.equal(signedIn.statusCode, 200, signedIn.body)
    const me = json(await t.browser('/api/me', sessionCookie(signedIn)))
    assert.equal(me.email, 'sam@acme.com')
    assert.equal(me.accountId, acmeId)
  })

  it('answers an unknown email exactly as a known one, and emails nothing', async () => {
    t.clock.advance(61_000)
    const known = await t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' })
    const unknown = await t.post('/api/requestPasswordReset', undefined, { email: 'nobody@acme.com' })
    const malformed = await t.post('/api/requestPasswordReset', undefined, { email: 'not an email' })
    // Not even a string: still the same answer ("always 200 {}").
    const number = await t.post('/api/requestPasswordReset', undefined, { email: 5 })
    const long = await t.post('/api/requestPasswordReset', undefined, {
      email: `${'a'.repeat(500)}@acme.com`,
    })
    for (const res of [known, unknown, malformed, number, long]) {
      assert.equal(res.statusCode, 200)
      assert.equal(res.body, '{}')
      assert.equal(res.headers['content-type'], known.headers['content-type'])
    }
    const queued = await t.services.mail.list({})
    assert.equal(queued.filter((m) => m.to === 'nobody@acme.com').length, 0)
  })

  it('takes about as long for an unknown email as for a known one (medians of several tries)', async () => {
    const timed = async (email: string) => {
      const start = performance.now()
      const res = await t.post('/api/requestPasswordReset', undefined, { email })
      assert.equal(res.statusCode, 200)
      return performance.now() - start
    }
    const knownTimes: number[] = []
    const unknownTimes: number[] = []
    for (let i = 0; i < 5; i++) {
      // Each known request really issues a link (a minute after the last).
      t.clock.advance(61_000)
      knownTimes.push(await timed('ada@acme.com'))
      unknownTimes.push(await timed(`nobody${i}@acme.com`))
    }
    const ratio = median(knownTimes) / median(unknownTimes)
    assert.ok(
      ratio > 0.5 && ratio < 2,
      `known ${median(knownTimes)} ms vs unknown ${median(unknownTimes)} ms`,
    )
  })

  it('changes nothing with a link once the account requires single sign-on, and sends no new link', async () => {
    const initech = await t.account('Initech', ['initech.com'], 'ian@initech.com')
    await t.member(initech.accountId, 'rp@initech.com', 'MEMBER')
    await t.password('rp@initech.com', OLD)
    const session = await t.login('rp@initech.com', OLD)
    // Other tests' mail may still arrive: only this address's counts.
    const asked = smtp.received.length
    const mailTo = () => smtp.received.slice(asked).filter((m) => m.envelopeTo.includes('rp@initech.com'))
    t.clock.advance(61_000)
    await t.post('/api/requestPasswordReset', undefined, { email: 'rp@initech.com' })
    await t.services.outbox.deliverDue()
    await smtp.waitFor(asked + 1)
    const token = tokenIn(mailTo()[0]!)
    const sso = {
      issuer: 'https://initech.okta.com/oauth2/default',
      clientId: '0oa-initech',
      clientSecret: 'very-secret-value',
    }
    const requireSso = (required: boolean) =>
      t.post('/api/setSsoConfig', initech.adminKey, { ...sso, required })
    assert.equal((await requireSso(true)).statusCode, 200)

    const refused = await reset(token)
    assert.deepEqual([refused.statusCode, json(refused).code], [422, 'SSO_REQUIRED'])
    assert.equal((await t.browser('/api/me', session)).statusCode, 200)
    t.clock.advance(61_000)
    assert.equal(
      (await t.post('/api/requestPasswordReset', undefined, { email: 'rp@initech.com' })).statusCode,
      200,
    )
    await t.services.outbox.deliverDue()
    assert.equal(mailTo().length, 1)

    // The control: once passwords are taken again, the same link works, as the old password did until then.
    assert.equal((await requireSso(false)).statusCode, 200)
    assert.equal(
      (
        await t.post(
          '/api/login',
          undefined,
          { email: 'rp@initech.com', password: NEW },
          { origin: 'https://roster.acme.com' },
        )
      ).statusCode,
      401,
    )
    await t.login('rp@initech.com', OLD)
    assert.equal((await reset(token)).statusCode, 200)
  })

  it('sends one link a minute per email: a second request within the minute answers alike and sends nothing', async () => {
    t.clock.advance(61_000)
    const countFor = async () =>
      (await t.services.mail.list({})).filter((m) => m.to === 'ada@acme.com' && m.kind === 'password_reset')
        .length
    assert.equal(
      (await t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' })).statusCode,
      200,
    )
    const afterFirst = await countFor()
    const second = await t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' })
    assert.equal(second.statusCode, 200)
    assert.equal(second.body, '{}')
    assert.equal(await countFor(), afterFirst)
    t.clock.advance(61_000)
    await t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' })
    assert.equal(await countFor(), afterFirst + 1)
  })

  it('answers {} to simultaneous requests for one email, and sends one link', async () => {
    t.clock.advance(61_000)
    const links = async () =>
      (await t.services.mail.list({})).filter((m) => m.to === 'ada@acme.com' && m.kind === 'password_reset')
        .length
    const before = await links()
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.post('/api/requestPasswordReset', undefined, { email: 'ada@acme.com' }),
      ),
    )
    assert.deepEqual(
      answers.map((a) => [a.statusCode, a.body]),
      answers.map(() => [200, '{}']),
    )
    assert.equal(await links(), before + 1)
  })
})

describe('password reset: the per-address limit', () => {
  it('answers 429 RATE_LIMITED once an address has asked LOGIN_RATE_LIMIT times in a minute', async () => {
    const t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_WINDOW: '3600' } })
    try {
      for (let i = 0; i < 3; i++)
        assert.equal(
          (await t.post('/api/requestPasswordReset', undefined, { email: `x${i}@acme.com` })).statusCode,
          200,
        )
      const limited = await t.post('/api/requestPasswordReset', undefined, { email: 'x9@acme.com' })
      assert.equal(limited.statusCode, 429)
      assert.equal(json(limited).code, 'RATE_LIMITED')
    } finally {
      await t.close()
    }
  })
})
