/** An application row as oidc-provider's client metadata: code flow with PKCE and refresh only. */
import type { ClientRow } from './oidc-client.repository.ts'

export type SecretMethod = 'client_secret_basic' | 'client_secret_post'

/**
 * Client metadata (declared to oidc-provider as extra metadata) marking a deleted application:
 * it may still authenticate, but nothing it holds is active any more.
 */
export const DELETED_CLIENT = 'roster_deleted'

export function clientMetadata(row: ClientRow, secret: string, method: SecretMethod = 'client_secret_basic') {
  const confidential = row.secret_hash !== null
  return {
    client_id: row.client_id,
    client_name: row.name,
    ...(confidential ? { client_secret: secret } : {}),
    // The method this request used (either is accepted): oidc-provider wants exactly one registered.
    token_endpoint_auth_method: confidential ? method : 'none',
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    post_logout_redirect_uris: JSON.parse(row.post_logout_redirect_uris) as string[],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    ...(row.deleted_at === null ? {} : { [DELETED_CLIENT]: true }),
  }
}
