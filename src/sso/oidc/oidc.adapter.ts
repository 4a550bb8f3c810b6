/**
 * The one module that talks to `openid-client`: builds the authorization request (PKCE S256,
 * `state`, `nonce`) and redeems the code, which checks the state, the ID token's signature
 * (JWKS), `iss`, `aud`, `exp` and `nonce`. The domain sees only an email and a failure kind.
 */
import * as client from 'openid-client'

export interface OidcSettings {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly string[]
}

export interface OidcIdentity {
  readonly subject: string
  readonly email: string | undefined
  readonly emailVerified: boolean | undefined
  readonly name: string | undefined
}

/** Why an exchange failed, without the IdP's own text (which never reaches a page). */
export class OidcFailure extends Error {
  constructor(
    readonly kind: 'unavailable' | 'refused' | 'invalid',
    detail: string,
  ) {
    super(detail)
    this.name = 'OidcFailure'
  }
}

const TIMEOUT_MS = 10_000

/** http is allowed only for an IdP on this machine (development and tests); anything else is https. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

async function discover(settings: OidcSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer)
  try {
    return await client.discovery(
      issuer,
      settings.clientId,
      undefined,
      client.ClientSecretBasic(settings.clientSecret),
      {
        execute: isLoopbackHttp(issuer)
          ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
          : [client.enableNonRepudiationChecks],
        timeout: TIMEOUT_MS / 1000,
      },
    )
  } catch (error) {
    throw failureOf(error, 'discovery')
  }
}

/** The HTTP status of the IdP's answer an error carries, if it carries one. */
function answerStatus(error: unknown): number | undefined {
  if (error instanceof client.ResponseBodyError) return error.status
  if (error instanceof client.ClientError && error.cause instanceof Response) return error.cause.status
  return undefined
}

/**
 * The kind of a failure, as docs/sso.md names them: the IdP not there (network, timeout, or an
 * outage it answers with 5xx) is `unavailable`; the person refused at the IdP is `refused`;
 * anything else is an answer that does not hold up (an issuer that names another, a wrong client
 * secret, a token that does not verify): `invalid`, which is the configuration's to fix.
 */
function failureOf(error: unknown, step: string): OidcFailure {
  if (error instanceof OidcFailure) return error
  if (error instanceof client.AuthorizationResponseError)
    return new OidcFailure('refused', `authorization error: ${error.error}`)
  const message = `${step}: ${error instanceof Error ? error.message : String(error)}`
  // fetch's network failures and timeouts: the IdP is not there.
  if (
    error instanceof TypeError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return new OidcFailure('unavailable', message)
  }
  const status = answerStatus(error)
  if (status !== undefined && status >= 500)
    return new OidcFailure('unavailable', `${message} (HTTP ${status})`)
  if (error instanceof client.ResponseBodyError) return new OidcFailure('invalid', `${step}: ${error.error}`)
  return new OidcFailure('invalid', message)
}

/**
 * `email_verified` as the IdP gave it. A boolean, as OpenID Connect says; some IdPs send the
 * strings "true" and "false" instead. Absent, the IdP is taken at its word (many never send it);
 * any other value is not a verification, so a string "false" can never pass as unstated.
 */
function verifiedOf(value: unknown): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'boolean') return value
  return value === 'true'
}

export const oidcAdapter = {
  async start(settings: OidcSettings, redirectUri: string, state: string) {
    const config = await discover(settings)
    const codeVerifier = client.randomPKCECodeVerifier()
    const nonce = client.randomNonce()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: ['openid', 'email', 'profile', ...settings.scopes].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    return { url: url.href, nonce, codeVerifier }
  },

  async finish(
    settings: OidcSettings,
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<OidcIdentity> {
    const config = await discover(settings)
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      })
      const idToken = tokens.claims()
      if (!idToken) throw new OidcFailure('invalid', 'no ID token')
      // Some IdPs put the email only in the UserInfo answer (for the same subject).
      const claims: Record<string, unknown> =
        typeof idToken.email === 'string'
          ? idToken
          : await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
      return {
        subject: idToken.sub,
        email: typeof claims.email === 'string' ? claims.email : undefined,
        emailVerified: verifiedOf(claims.email_verified),
        name: typeof claims.name === 'string' ? claims.name : undefined,
      }
    } catch (error) {
      throw failureOf(error, 'token endpoint')
    }
  },
}

export type OidcAdapter = typeof oidcAdapter
