/**
 * A real OpenID Connect provider in-process (`oidc-provider`), as a company's IdP would be: on a
 * loopback port, one confidential client, PKCE required, and its development login page where
 * any login is accepted — the login typed is the email the ID token carries.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

export interface TestOidcIdp {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** Emails (logins) that come back with `email_verified: false`. */
  readonly unverified: Set<string>
  /** Emails (logins) whose `email_verified` comes back as this value instead (a string, say). */
  readonly verifiedAs: Map<string, unknown>
  close(): Promise<void>
}

export async function startOidcIdp(redirectUris: string[]): Promise<TestOidcIdp> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const clientId = 'roster-test'
  const clientSecret = 'a-long-test-client-secret-of-the-idp'
  const unverified = new Set<string>()
  const verifiedAs = new Map<string, unknown>()
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        email: id,
        email_verified: verifiedAs.has(id) ? verifiedAs.get(id) : !unverified.has(id),
        name: `Person ${id.split('@')[0]}`,
      }),
    }),
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-of-the-idp'] },
  })
  server.on('request', provider.callback())
  return {
    issuer,
    clientId,
    clientSecret,
    unverified,
    verifiedAs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
