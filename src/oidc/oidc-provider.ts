/**
 * The one place that configures `oidc-provider` (the certified library that owns the protocol):
 * authorization code with PKCE S256 only, refresh tokens that rotate (a reused one revokes its
 * grant), introspection, revocation, RP-initiated logout, JWT access tokens (RFC 9068) always:
 * for the application itself (aud = its client id) unless it names a resource of its own.
 * Everything Roster-specific comes in through the options.
 */
import Provider, {
  errors,
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { adapterFactory } from './oidc-adapter.ts'
import { SCOPE_CLAIMS, identityClaims, rosterClaims, type Identity } from './oidc-claims.ts'
import type { ProviderKeys } from './oidc-key.service.ts'
import { logoutSource, postLogoutSuccessSource, renderError } from './oidc-pages.ts'
import { findClientRow } from './oidc-client.repository.ts'
import { DELETED_CLIENT } from './oidc-client-metadata.ts'
import { GRANT_CLAIM } from './oidc-jwt-access.ts'

export interface ProviderOptions {
  issuer: string
  keys: ProviderKeys
  db: Kysely<Database>
  clock: () => number
  /** The person's current membership of the application's account; undefined when not a member. */
  identity(clientId: string, userId: string): Promise<Identity | undefined>
}

export const ACCESS_TOKEN_TTL = 600

/**
 * The resource an application's access token is for when it names none: the application itself.
 * oidc-provider issues JWT access tokens only for a resource, so this stands for "aud = client id".
 */
export const selfResource = (clientId: string) => `urn:roster:application:${clientId}`

/** Resource indicators an application may ask for: itself, or the origins of its own redirect URIs. */
async function resourceAllowed(db: Kysely<Database>, clientId: string, resource: string): Promise<boolean> {
  if (resource === selfResource(clientId)) return true
  const row = await findClientRow(db, clientId)
  if (!row) return false
  const origins = (JSON.parse(row.redirect_uris) as string[]).map((u) => new URL(u).origin)
  return origins.includes(resource) || origins.some((o) => resource.startsWith(`${o}/`))
}

function clientIdOf(ctx: KoaContextWithOIDC, token?: { clientId?: string }): string | undefined {
  return token?.clientId ?? ctx.oidc?.client?.clientId
}

export function createProvider(options: ProviderOptions): Provider {
  const { Check, base } = interactionPolicy
  const policy = base()
  // Roster's own sign-in decides every time (its session cookie, its membership rule): the
  // interaction answers at once for a signed-in member and is never shown twice in a row.
  policy
    .get('login')!
    .checks.add(
      new Check('roster_session', 'Roster checks its session and membership', (ctx) =>
        ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    )

  const configuration: Configuration = {
    adapter: adapterFactory(options.db, options.clock),
    jwks: options.keys.jwks as Configuration['jwks'],
    cookies: { keys: options.keys.cookieKeys },
    scopes: ['openid', 'email', 'profile', 'offline_access', 'roster'],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
    // The ID token carries the scoped claims itself (apps read the role without a userinfo call).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    // What applications can use: a secret (kept as a hash, so no client_secret_jwt, and no key
    // sets for private_key_jwt) or, for public clients, none. Discovery says exactly this.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    extraClientMetadata: { properties: [DELETED_CLIENT] },
    clientDefaults: {
      id_token_signed_response_alg: 'RS256',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL,
      Interaction: 3600,
      Grant: 14 * 86400,
      Session: 14 * 86400,
      RefreshToken: 14 * 86400,
    },
    routes: {
      authorization: '/oidc/auth',
      token: '/oidc/token',
      userinfo: '/oidc/me',
      jwks: '/oidc/jwks',
      introspection: '/oidc/token/introspection',
      revocation: '/oidc/token/revocation',
      end_session: '/oidc/session/end',
      code_verification: '/oidc/device',
      device_authorization: '/oidc/device/auth',
      pushed_authorization_request: '/oidc/request',
      registration: '/oidc/reg',
      backchannel_authentication: '/oidc/backchannel',
    },
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`, policy },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      introspection: {
        enabled: true,
        // An application introspects only what it was issued, and nothing once deleted (even a
        // token a refresh in flight stored after the deletion).
        allowedPolicy: async (_ctx, client, token) =>
          token.clientId === client.clientId && client[DELETED_CLIENT] !== true,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        // No `resource` parameter: the token is for the application itself; a list at the token
        // endpoint (several granted) needs the application to pick one.
        defaultResource: async (_ctx, client, oneOf) => oneOf ?? selfResource(client!.clientId),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource, client) => {
          if (!(await resourceAllowed(options.db, client.clientId, resource)))
            throw new errors.InvalidTarget()
          return {
            scope: 'openid email profile roster',
            audience: resource === selfResource(client.clientId) ? client.clientId : resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
          }
        },
      },
    },
    async findAccount(ctx, sub, token) {
      const clientId = clientIdOf(ctx, token as { clientId?: string } | undefined)
      if (!clientId) return { accountId: sub, claims: () => ({ sub }) }
      const who = await options.identity(clientId, sub)
      if (!who) return undefined
      return { accountId: sub, claims: () => identityClaims(who) }
    },
    async extraTokenClaims(ctx, token) {
      const scopes = new Set((token as { scope?: string }).scope?.split(' ') ?? [])
      const sub = (token as { accountId?: string }).accountId
      const clientId = clientIdOf(ctx, token as { clientId?: string })
      // The grant the token was issued under: userinfo and introspection refuse it once the
      // grant is revoked (a reused refresh token), as the library does for its stored tokens.
      const grantId = (token as { grantId?: string }).grantId
      const grant = grantId ? { [GRANT_CLAIM]: grantId } : {}
      if (!scopes.has('roster') || !sub || !clientId) return grant
      const who = await options.identity(clientId, sub)
      return who ? { ...grant, ...rosterClaims(who) } : grant
    },
    renderError,
  }
  const provider = new Provider(options.issuer, configuration)
  // Behind a TLS-terminating proxy the request's protocol comes from X-Forwarded-Proto.
  provider.proxy = true
  return provider
}
