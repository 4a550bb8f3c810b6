/**
 * Invitation codes: JWTs as Akto issues them (`sub: invite_user`, `email`, `iat`, `exp`), plus a
 * `jti` that ties the code to the one pending invitation row. Signed HS256 with a server-held key
 * named by `kid`; verification pins the algorithm, so `alg: none` or a client-chosen key never pass.
 */
import { createHmac } from 'node:crypto'
import { jwtVerify, errors as joseErrors, type JWTPayload } from 'jose'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'

export const INVITE_ISSUER = 'roster'
export const INVITE_SUBJECT = 'invite_user'

export interface InviteClaims {
  readonly email: string
  readonly tokenId: string
}

export async function signInviteToken(
  keys: SigningKeys,
  claims: InviteClaims,
  issuedAtMs: number,
  ttlSeconds: number,
): Promise<string> {
  const key = keys.signingKey()
  const iat = Math.floor(issuedAtMs / 1000)
  const header = { alg: 'HS256', typ: 'JWT', kid: key.kid }
  const payload = {
    email: claims.email,
    iss: INVITE_ISSUER,
    sub: INVITE_SUBJECT,
    iat,
    exp: iat + ttlSeconds,
    jti: claims.tokenId,
  }
  // Compact JWS (RFC 7515) signed in one synchronous HMAC: WebCrypto's async signing, which jose
  // uses, costs more than the rest of the invitation's work. Verification stays with jose.
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  return `${signingInput}.${createHmac('sha256', key.secret).update(signingInput).digest('base64url')}`
}

const base64url = (text: string) => Buffer.from(text).toString('base64url')

export type VerifyResult = { ok: true; claims: InviteClaims } | { ok: false; reason: 'invalid' | 'expired' }

export async function verifyInviteToken(
  keys: SigningKeys,
  token: string,
  nowMs: number,
): Promise<VerifyResult> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096)
    return { ok: false, reason: 'invalid' }
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = typeof header.kid === 'string' ? await keys.verificationKey(header.kid) : undefined
        if (!key) throw new joseErrors.JWSSignatureVerificationFailed()
        return key.secret
      },
      {
        algorithms: ['HS256'],
        issuer: INVITE_ISSUER,
        subject: INVITE_SUBJECT,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'iat', 'jti', 'email'],
      },
    )
    return claimsOf(payload)
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' }
    return { ok: false, reason: 'invalid' }
  }
}

function claimsOf(payload: JWTPayload): VerifyResult {
  const { email, jti } = payload
  if (typeof email !== 'string' || typeof jti !== 'string') return { ok: false, reason: 'invalid' }
  return { ok: true, claims: { email, tokenId: jti } }
}
