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
    const row = await t.database.db.selectFrom('signing_keys').selectAll().orderBy('generation', 'desc').executeTakeFirstOrThrow()
    return { kid: row.kid, secret: Buffer.from(row.secret, 'base64url') }
  }

  async function refused(code: string, email: string, message = 'Please ask admin to invite you!') {
    const members = json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => !i.isInvitation).length
    for (const url of ['/api/getInvitationInfo', '/api/acceptInvitation']) {
      const res = await t.post(url, undefined, { signupInvitationCode: code, signupEmailId: email, name: 'Mallory', password: 'correct-horse-battery-9' }, { origin: ORIGIN })
      assert.equal(res.statusCode, 422, `${url}: ${res.body}`)
      assert.deepEqual(json(res).actionErrors, [message], url)
    }
    assert.equal(json<any[]>(await t.post('/api/getTeamData', admin)).filter((i) => !i.isInvitation).length, members)
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
    const foreign = await new SignJWT(decode(payload)).setProtectedHeader(decode(header)).sign(randomBytes(32))
    for (const bad of [`${header}.${payload}.${flipped}`, `${header}.${payload}.${signature.slice(0, -4)}`, `${header}.${payload}.`, foreign, `${header}.${payload}`, `${code}.x`]) {
      await refused(bad, 'sig@acme.com')
    }
  })

  it('refuses changed claims under the old signature', async () => {
    const code = await invite('claims@acme.com')
    const [header, payload, signature] = parts(code)
    const claims = decode(payload)
    for (const change of [{ email: 'mallory@acme.com' }, { exp: claims.exp + 86400 * 365 }, { jti: 'other' }, { sub: 'admin' }, { role: 'ADMIN' }]) {
      await refused(`${header}.${b64({ ...claims, ...change })}.${signature}`, change.email ?? 'claims@acme.com')
    }
  })

  it('refuses another algorithm, an unknown kid, and keys offered through jku or jwk headers', async () => {
    const code = await invite('keys@acme.com')
    const claims = decode(parts(code)[1])
    const { kid } = await serverKey()
    const attacker = await generateKeyPair('ES256', { extractable: true })
    const attackerSecret = randomBytes(32)
    const forged = [
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', kid }).sign(randomBytes(64)),
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'attacker' }).sign(attackerSecret),
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: '../../etc/passwd' }).sign(attackerSecret),
      await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', jku: 'https://evil.example/jwks.json' }).sign(attackerSecret),
      await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(attacker.publicKey) }).sign(attacker.privateKey),
      await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(attacker.privateKey),
    ]
    for (const bad of forged) await refused(bad, 'keys@acme.com')
  })

  it('refuses a wrong subject, a code not yet valid, and one with no invitation behind it, even under the server key', async () => {
    await invite('insider@acme.com')
    const { kid, secret } = await serverKey()
    const now = Math.floor(t.clock() / 1000)
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(secret)
    const base = { iss: 'roster', sub: 'invite_user', email: 'insider@acme.com', iat: now, exp: now + 3600, jti: 'not-an-invitation' }
    await refused(await sign(base), 'insider@acme.com')
    await refused(await sign({ ...base, sub: 'session' }), 'insider@acme.com')
    await refused(await sign({ ...base, nbf: now + 3600 }), 'insider@acme.com')
    await refused(await sign({ ...base, iss: 'someone-else' }), 'insider@acme.com')
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
    await refused(expired, 'exp@acme.com', 'This invitation has expired.')
    t.clock.advance(-(604800_000 + 1000))

    const replaced = await invite('rep@acme.com')
    await invite('rep@acme.com')
    await refused(replaced, 'rep@acme.com')

    const cancelled = await invite('can@acme.com')
    await t.post('/api/removeUser', admin, { email: 'can@acme.com' })
    await refused(cancelled, 'can@acme.com')

    const used = await invite('use@acme.com')
    const ok = await t.post('/api/acceptInvitation', undefined, { signupInvitationCode: used, signupEmailId: 'use@acme.com', name: 'Use', password: 'correct-horse-battery-9' }, { origin: ORIGIN })
    assert.equal(ok.statusCode, 200, ok.body)
    await refused(used, 'use@acme.com')
  })
})
