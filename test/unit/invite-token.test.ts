// The invitation token module through its two functions, with an in-memory key set: what the
// link endpoints rely on (test/security/invitation-tokens.test.ts covers them over HTTP).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { SignJWT } from 'jose'
import {
  INVITE_ISSUER,
  INVITE_SUBJECT,
  signInviteToken,
  verifyInviteToken,
} from '../../src/invitations/invite-token.ts'
import type { SigningKeys } from '../../src/signing-keys/signing-key.service.ts'

const key = { kid: 'k1', secret: randomBytes(32) }
const old = { kid: 'k0', secret: randomBytes(32) }
const keys = {
  signingKey: () => key,
  verificationKey: async (kid: string) => [key, old].find((k) => k.kid === kid),
} as unknown as SigningKeys
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0)
const claims = { email: 'bob@acme.com', tokenId: 'tok-1' }
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('invitation tokens', () => {
  it('signs HS256 under the current kid with the Akto claims plus iss and jti, and verifies them', async () => {
    const token = await signInviteToken(keys, claims, NOW + 999, 3600)
    const [header, payload] = token.split('.') as [string, string, string]
    assert.deepEqual(decode(header), { alg: 'HS256', typ: 'JWT', kid: 'k1' })
    const iat = Math.floor(NOW / 1000)
    assert.deepEqual(decode(payload), {
      email: 'bob@acme.com',
      iss: INVITE_ISSUER,
      sub: INVITE_SUBJECT,
      iat,
      exp: iat + 3600,
      jti: 'tok-1',
    })
    assert.equal(INVITE_ISSUER, 'roster')
    assert.equal(INVITE_SUBJECT, 'invite_user')
    assert.deepEqual(await verifyInviteToken(keys, token, NOW), { ok: true, claims })
  })

  it('is valid until exp and expired from then on', async () => {
    const token = await signInviteToken(keys, claims, NOW, 60)
    assert.equal((await verifyInviteToken(keys, token, NOW + 59_000)).ok, true)
    assert.deepEqual(await verifyInviteToken(keys, token, NOW + 60_000), { ok: false, reason: 'expired' })
  })

  it('verifies under an older key still known by its kid', async () => {
    const token = await new SignJWT({ email: 'bob@acme.com', jti: 'tok-1' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k0' })
      .setIssuer(INVITE_ISSUER)
      .setSubject(INVITE_SUBJECT)
      .setIssuedAt(Math.floor(NOW / 1000))
      .setExpirationTime(Math.floor(NOW / 1000) + 60)
      .sign(old.secret)
    assert.deepEqual(await verifyInviteToken(keys, token, NOW), { ok: true, claims })
  })

  const base = () => ({
    email: 'bob@acme.com',
    iss: INVITE_ISSUER,
    sub: INVITE_SUBJECT,
    iat: Math.floor(NOW / 1000),
    exp: Math.floor(NOW / 1000) + 60,
    jti: 'tok-1',
  })
  const sign = (
    payload: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'HS256', kid: 'k1' },
    secret: Uint8Array = key.secret,
  ) => new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(secret)

  it('refuses, as invalid, a token one property away from a valid one', async () => {
    assert.equal((await verifyInviteToken(keys, await sign(base()), NOW)).ok, true, 'the control')
    const variants: [string, Promise<string>][] = [
      ['HS512', sign(base(), { alg: 'HS512', kid: 'k1' })],
      ['unknown kid', sign(base(), { alg: 'HS256', kid: 'k9' })],
      ['no kid', sign(base(), { alg: 'HS256' })],
      ['numeric kid', sign(base(), { alg: 'HS256', kid: 1 })],
      ['other secret', sign(base(), { alg: 'HS256', kid: 'k1' }, randomBytes(32))],
      ['issuer', sign({ ...base(), iss: 'other' })],
      ['subject', sign({ ...base(), sub: 'session' })],
      ['not before', sign({ ...base(), nbf: Math.floor(NOW / 1000) + 30 })],
      ['email not a string', sign({ ...base(), email: 7 })],
      ['jti not a string', sign({ ...base(), jti: 7 })],
      ...(['exp', 'iat', 'jti', 'email', 'iss', 'sub'] as const).map((claim): [string, Promise<string>] => {
        const rest: Record<string, unknown> = base()
        delete rest[claim]
        return [`no ${claim}`, sign(rest)]
      }),
    ]
    for (const [what, token] of variants)
      assert.deepEqual(
        await verifyInviteToken(keys, await token, NOW),
        { ok: false, reason: 'invalid' },
        what,
      )
  })

  it('asks the key store only for a string kid', async () => {
    const asked: unknown[] = []
    const spying = {
      signingKey: () => key,
      verificationKey: async (kid: unknown) => {
        asked.push(kid)
        return [key, old].find((k) => k.kid === kid)
      },
    } as unknown as SigningKeys
    assert.equal((await verifyInviteToken(spying, await sign(base()), NOW)).ok, true, 'the control')
    assert.deepEqual(asked, ['k1'])
    asked.length = 0
    for (const header of [{ alg: 'HS256' }, { alg: 'HS256', kid: 1 }])
      assert.deepEqual(await verifyInviteToken(spying, await sign(base(), header), NOW), {
        ok: false,
        reason: 'invalid',
      })
    // A forged code without a usable kid costs no key lookup (in production, a database query).
    assert.deepEqual(asked, [])
  })

  it('verifies a valid token of up to 4096 characters and refuses a longer one', async () => {
    // Valid, correctly signed tokens of an exact length: the length limit alone decides.
    // Each padding character adds 4/3 of a base64url character, so search around that estimate.
    const unpadded = (await sign({ ...base(), pad: '' })).length
    const ofLength = async (length: number) => {
      const estimate = Math.floor(((length - unpadded) * 3) / 4)
      for (let pad = estimate - 2; pad <= estimate + 2; pad++) {
        const token = await sign({ ...base(), pad: 'p'.repeat(pad) })
        if (token.length === length) return token
      }
      throw new Error(`no padding gives a token of ${length} characters`)
    }
    assert.deepEqual(await verifyInviteToken(keys, await ofLength(4096), NOW), { ok: true, claims })
    const longer = (await ofLength(4097).catch(() => ofLength(4098))) as string
    assert.deepEqual(await verifyInviteToken(keys, longer, NOW), { ok: false, reason: 'invalid' })
  })

  it('refuses an empty, over-long or non-string token without parsing it', async () => {
    const valid = await sign(base())
    for (const bad of ['', 'x'.repeat(4097), 42 as unknown as string, null as unknown as string]) {
      assert.deepEqual(await verifyInviteToken(keys, bad, NOW), { ok: false, reason: 'invalid' })
    }
    // 4096 characters is still parsed: a valid token padded into an invalid one of that length fails on its signature.
    assert.equal(valid.length < 4096, true)
    assert.deepEqual(await verifyInviteToken(keys, valid + 'A'.repeat(4096 - valid.length), NOW), {
      ok: false,
      reason: 'invalid',
    })
  })
})
