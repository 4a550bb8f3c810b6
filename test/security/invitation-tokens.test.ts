// Invitation codes against the attacks of RFC 8725 (JWT Best Current Practices): the algorithm is
// pinned, keys come only from the server, every claim is checked, and a code is good for one
// pending invitation, once. Every refusal leaves the team unchanged.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

const ORIGIN = 'http://localhost:8080'
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const parts = (code: string) => code.split('.') as [string, string, string]
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('invitation codes (RFC 8725)', () => {
  let t: TestApp
  let admin: string

  before(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } })
    ;({ adminKey: admin } = await t.account())
  })
  after(() => t.close())

  async function invite(email: string) {
    const res = await t.post('/api/inviteUsers', admin, { inviteeEmail: email, inviteeRole: 'DEVELOPER' })
    assert.equal(res.statusCode, 200, res.body)
    return new URL(json(res).finalInviteCode).searchParams.get('signupInvitationCode')!
  }

  /** The server's current signing key, read as an insider would: to prove claims are checked even under a valid signature. */
  async function serverKey() {
    const row = await t.database.db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('generation', 'desc')
      .executeTakeFirstOrThrow()
    return { kid: row.kid, secret: Buffer.from(row.secret, 'base64url') }
  }

  const MESSAGES = {
    INVITATION_NOT_FOUND: 'Please ask admin to invite you!',
    INVITATION_EXPIRED: 'This invitation has expired.',
  }

  /** Both link endpoints refuse the code with 422 and `expected`, and the team is unchanged. */
  async function refused(
    code: string,
    email: string,
    expected: keyof typeof MESSAGES = 'INVITATION_NOT_FOUND',
  ) {
    const members = json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => !i.isInvitation).length
    for (const url of ['/api/getInvitationInfo', '/api/acceptInvitation']) {
      const res = await t.post(
        url,
        undefined,
        {
          signupInvitationCode: code,
          signupEmailId: email,
          name: 'Mallory',
          password: 'correct-horse-battery-9',
        },
        { origin: ORIGIN },
      )
      assert.equal(res.statusCode, 422, `${url}: ${res.body}`)
      assert.deepEqual(json(res), { actionErrors: [MESSAGES[expected]], code: expected }, url)
    }
    assert.equal(
      json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => !i.isInvitation).length,
      members,
    )
  }

  /** The control of a forgery: the same code is accepted by the link endpoint. */
  async function opens(code: string, email: string) {
    const res = await t.post(
      '/api/getInvitationInfo',
      undefined,
      { signupInvitationCode: code, signupEmailId: email },
      { origin: ORIGIN },
    )
    assert.equal(res.statusCode, 200, `the control should open: ${res.body}`)
  }

  it('refuses alg "none" in every spelling, with or without a signature', async () => {
    const code = await invite('none@acme.com')
    const [, payload, signature] = parts(code)
    for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
      await refused(`${b64({ alg, typ: 'JWT' })}.${payload}.`, 'none@acme.com')
      await refused(`${b64({ alg, typ: 'JWT' })}.${payload}.${signature}`, 'none@acme.com')
    }
  })

  it('refuses a flipped, truncated, empty or foreign signature', async () => {
    const code = await invite('sig@acme.com')
    const [header, payload, signature] = parts(code)
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    const foreign = await new SignJWT(decode(payload))
      .setProtectedHeader(decode(header))
      .sign(randomBytes(32))
    for (const bad of [
      `${header}.${payload}.${flipped}`,
      `${header}.${payload}.${signature.slice(0, -4)}`,
      `${header}.${payload}.`,
      foreign,
      `${header}.${payload}`,
      `${code}.x`,
    ]) {
      await refused(bad, 'sig@acme.com')
    }
  })

  it('refuses changed claims under the old signature', async () => {
    const code = await invite('claims@acme.com')
    const [header, payload, signature] = parts(code)
    const claims = decode(payload)
    for (const change of [
      { email: 'mallory@acme.com' },
      { exp: claims.exp + 86400 * 365 },
      { jti: 'other' },
      { sub: 'admin' },
      { role: 'ADMIN' },
    ]) {
      await refused(
        `${header}.${b64({ ...claims, ...change })}.${signature}`,
        change.email ?? 'claims@acme.com',
      )
    }
  })

  it('refuses another algorithm, an unknown kid, and keys offered through jku or jwk headers', async () => {
    const code = await invite('keys@acme.com')
    const claims = decode(parts(code)[1])
    const { kid, secret } = await serverKey()
    // The control: the real claims signed HS256 with the real key under its kid open the link.
    await opens(
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(secret),
      'keys@acme.com',
    )
    // Only the algorithm differs: HS512 with the real key and kid, over the real claims.
    await refused(
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', kid }).sign(secret),
      'keys@acme.com',
    )
    await refused(
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS384', kid }).sign(secret),
      'keys@acme.com',
    )
    const attacker = await generateKeyPair('ES256', { extractable: true })
    const attackerSecret = randomBytes(32)
    const forged = [
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'attacker' }).sign(attackerSecret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: '../../etc/passwd' })
        .sign(attackerSecret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', jku: 'https://evil.example/jwks.json' })
        .sign(attackerSecret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(attacker.publicKey) })
        .sign(attacker.privateKey),
      await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(attacker.privateKey),
    ]
    for (const bad of forged) await refused(bad, 'keys@acme.com')
    // Only the kid differs: the real key, no kid.
    await refused(
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret),
      'keys@acme.com',
    )
  })

  it('refuses a wrong subject or issuer, a code not yet valid, and one with no invitation behind it, even under the server key', async () => {
    // Real claims of a pending invitation (its jti included), re-signed with the server key.
    const claims = decode(parts(await invite('insider@acme.com'))[1])
    const { kid, secret } = await serverKey()
    const now = Math.floor(t.clock() / 1000)
    const sign = (c: Record<string, unknown>) =>
      new SignJWT(c).setProtectedHeader({ alg: 'HS256', kid }).sign(secret)
    await opens(await sign(claims), 'insider@acme.com')
    // Each differs from the control by one claim.
    await refused(await sign({ ...claims, sub: 'session' }), 'insider@acme.com')
    await refused(await sign({ ...claims, nbf: now + 3600 }), 'insider@acme.com')
    await refused(await sign({ ...claims, iss: 'someone-else' }), 'insider@acme.com')
    await refused(await sign({ ...claims, jti: 'not-an-invitation' }), 'insider@acme.com')
    for (const claim of ['sub', 'iss', 'jti', 'exp', 'iat', 'email']) {
      const rest = Object.fromEntries(
        Object.entries(claims as Record<string, unknown>).filter(([name]) => name !== claim),
      )
      await refused(await sign(rest), 'insider@acme.com')
    }
    // The control still opens: none of the refusals above consumed the invitation.
    await opens(await sign(claims), 'insider@acme.com')
  })

  it('refuses a session cookie value, an API key or a random string used as a code', async () => {
    await t.password('ada@acme.com', 'violet-tangerine-42')
    const session = (await t.login('ada@acme.com', 'violet-tangerine-42')).replace(/^roster_session=/, '')
    assert.ok(session.length > 20)
    await refused(session, 'ada@acme.com')
    await refused(admin, 'ada@acme.com')
    await refused('eyJhbGciOiJIUzI1NiJ9.e30.' + 'a'.repeat(43), 'ada@acme.com')
    await refused(randomBytes(24).toString('base64url'), 'ada@acme.com')
    await refused('x'.repeat(10_000), 'ada@acme.com')
  })

  it('refuses an expired code with its own message, and reused, replaced and cancelled codes', async () => {
    const expired = await invite('exp@acme.com')
    t.clock.advance(604800_000 + 1000)
    await refused(expired, 'exp@acme.com', 'INVITATION_EXPIRED')
    t.clock.advance(-(604800_000 + 1000))

    const replaced = await invite('rep@acme.com')
    await invite('rep@acme.com')
    await refused(replaced, 'rep@acme.com')

    const cancelled = await invite('can@acme.com')
    await t.post('/api/removeUser', admin, { email: 'can@acme.com' })
    await refused(cancelled, 'can@acme.com')

    const used = await invite('use@acme.com')
    const ok = await t.post(
      '/api/acceptInvitation',
      undefined,
      {
        signupInvitationCode: used,
        signupEmailId: 'use@acme.com',
        name: 'Use',
        password: 'correct-horse-battery-9',
      },
      { origin: ORIGIN },
    )
    assert.equal(ok.statusCode, 200, ok.body)
    await refused(used, 'use@acme.com')
  })
})
