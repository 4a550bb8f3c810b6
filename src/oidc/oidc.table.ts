/** The tables of Sign in with Roster (see migration 2026-11-29T1000-oidc). */

/** An application (OIDC client) of one account. */
export interface OidcClientTable {
  client_id: string
  account_id: number
  name: string
  /** SHA-256 (hex) of the client secret; null for a public client (PKCE only). */
  secret_hash: string | null
  /** JSON array of exact redirect URIs. */
  redirect_uris: string
  post_logout_redirect_uris: string
  created_at: number
  /** Epoch ms the application was deleted; the row stays as a tombstone (see oidc-adapter.ts). */
  deleted_at: number | null
}

/** Provider keys: `sig` rows hold a private JWK (JSON), `cookie` rows a random secret. */
export interface OidcKeyTable {
  kid: string
  kind: 'sig' | 'cookie'
  secret: string
  created_at: number
  /** Retired keys are no longer published nor used. */
  retired_at: number | null
}

/** oidc-provider's state, one row per model and id. */
export interface OidcPayloadTable {
  model: string
  id: string
  payload: string
  /** Epoch ms; null never expires. */
  expires_at: number | null
  consumed_at: number | null
  grant_id: string | null
  uid: string | null
  user_code: string | null
  client_id: string | null
  /** The user id (oidc-provider's accountId) the row is about. */
  subject: string | null
}
