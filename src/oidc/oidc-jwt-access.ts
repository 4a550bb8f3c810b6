/**
 * Userinfo and introspection for Roster's JWT access tokens. oidc-provider never stores a JWT
 * access token, so its own userinfo and introspection endpoints cannot find one (they answer
 * `invalid_token` and `{"active": false}`: the library's design, where a token with an audience
 * is for a resource server). An application's token for itself (aud = its client id) is still
 * the token an app sends to userinfo, so this edge answers the two success cases: signature,
 * issuer, type and expiry checked by jose against the provider's own JWKS, the membership read
 * fresh (a removed member's token stops working at once), and its grant looked up (a token of a
 * chain revoked by a reused refresh token stops too). A JWT that does not pass — forged,
 * expired, another application's, a removed member's, a revoked grant's — introspects as `{"active": false}`
 * (RFC 7662 §2.2); at userinfo it, like every other case (wrong client credentials, an opaque
 * token), goes on to the provider, which answers in OAuth's own format.
 */
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose'
import { SCOPE_CLAIMS, identityClaims, rosterClaims, type Identity } from './oidc-claims.ts'

const PRIVATE_PARTS = ['d', 'p', 'q', 'dp', 'dq', 'qi']

/** The claim naming the grant an access token was issued under (set in oidc-provider.ts). */
export const GRANT_CLAIM = 'grant_id'

interface AccessClaims extends JWTPayload {
  client_id: string
  sub: string
  scope?: string
  [GRANT_CLAIM]?: string
}

export interface JwtAccessOptions {
  issuer: string
  /** The provider's live private JWKs (only their public parts are used). */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>
  identity(clientId: string, userId: string): Promise<Identity | undefined>
  /** Whether the grant still exists (not revoked, not expired). */
  grantLive(grantId: string): Promise<boolean>
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)

export function jwtAccess(options: JwtAccessOptions) {
  /** The public key set, rebuilt only when the live keys change (a key never changes under its kid). */
  let keySet: { kids: string; verify: ReturnType<typeof createLocalJWKSet> } | undefined
  async function publicKeySet() {
    const { keys } = await options.jwks()
    const kids = keys.map((k) => String(k.kid)).join(' ')
    if (keySet?.kids !== kids) {
      const publicKeys = keys.map((k) =>
        Object.fromEntries(Object.entries(k).filter(([name]) => !PRIVATE_PARTS.includes(name))),
      )
      keySet = { kids, verify: createLocalJWKSet({ keys: publicKeys }) }
    }
    return keySet.verify
  }

  /** The token's claims and the person's current membership, or undefined (the provider answers). */
  async function verified(token: string | undefined) {
    if (!token || !looksLikeJwt(token)) return undefined
    const verify = await publicKeySet()
    try {
      const { payload } = await jwtVerify<AccessClaims>(token, verify, {
        issuer: options.issuer,
        typ: 'at+jwt',
      })
      // Only an application's token for itself; a token for another resource is that API's.
      if (typeof payload.client_id !== 'string' || payload.aud !== payload.client_id) return undefined
      const grantId = payload[GRANT_CLAIM]
      if (typeof grantId !== 'string' || !(await options.grantLive(grantId))) return undefined
      const who = await options.identity(payload.client_id, payload.sub)
      return who ? { payload, who } : undefined
    } catch {
      return undefined
    }
  }

  return {
    /** The userinfo body for a JWT access token with the `openid` scope; undefined otherwise. */
    async userinfo(token: string | undefined) {
      const found = await verified(token)
      const scopes = new Set(found?.payload.scope?.split(' ') ?? [])
      if (!found || !scopes.has('openid')) return undefined
      const all: Record<string, unknown> = identityClaims(found.who)
      const released = Object.entries(SCOPE_CLAIMS)
        .filter(([scope]) => scopes.has(scope))
        .flatMap(([, claims]) => [...claims])
      return Object.fromEntries(released.map((name) => [name, all[name]]))
    },

    /** RFC 7662 for a JWT, asked by `clientId` (already authenticated); undefined for other tokens. */
    async introspect(token: string | undefined, clientId: string) {
      if (!token || !looksLikeJwt(token)) return undefined
      const found = await verified(token)
      if (!found || found.payload.client_id !== clientId) return { active: false }
      const { payload, who } = found
      return {
        ...rosterClaims(who),
        active: true,
        sub: payload.sub,
        client_id: payload.client_id,
        aud: payload.aud,
        exp: payload.exp,
        iat: payload.iat,
        iss: payload.iss,
        jti: payload.jti,
        scope: payload.scope,
        token_type: 'Bearer',
      }
    },
  }
}

export type JwtAccess = ReturnType<typeof jwtAccess>
