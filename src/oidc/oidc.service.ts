/**
 * Sign in with Roster: the provider (rebuilt when another instance rotates the keys), the
 * membership rule (only members of an application's account sign in to it), and key rotation.
 */
import type Provider from 'oidc-provider'
import { parseBaseRole } from '../roles/role.ts'
import type { Deps } from '../shared/deps.ts'
import type { Identity } from './oidc-claims.ts'
import { memberOfClientAccount } from './oidc-identity.repository.ts'
import { jwtAccess } from './oidc-jwt-access.ts'
import { oidcKeyService } from './oidc-key.service.ts'
import { findPayload } from './oidc-payload.repository.ts'

export function oidcService(deps: Deps) {
  const { db } = deps.database
  const keys = oidcKeyService(db, deps.clock)
  let current: { version: string; provider: Provider } | undefined

  async function identity(clientId: string, userId: string): Promise<Identity | undefined> {
    if (!/^\d{1,12}$/.test(userId)) return undefined
    const row = await memberOfClientAccount(db, clientId, Number(userId))
    if (!row) return undefined
    const baseRole = parseBaseRole(row.customBase ?? row.role) ?? 'GUEST'
    return {
      userId: row.userId,
      email: row.email,
      name: row.name,
      accountId: row.accountId,
      accountName: row.accountName,
      role: row.role,
      baseRole,
    }
  }

  return {
    keys,
    identity,
    jwtAccess: jwtAccess({
      issuer: deps.config.publicUrl,
      jwks: async () => (await keys.load()).jwks,
      identity,
      grantLive: async (grantId) =>
        (await findPayload(db, 'Grant', { column: 'id', value: grantId }, deps.clock())) !== undefined,
    }),
    /** The provider for the live keys (read per request, so a rotation shows on every instance). */
    async provider(): Promise<Provider> {
      const live = await keys.load()
      if (live.jwks.keys.length === 0 || live.cookieKeys.length === 0) {
        await keys.ensure()
        return this.provider()
      }
      if (current?.version !== live.version) {
        // Loaded on first use: the library warns on import under Node 20, and the CLI, which
        // builds the same services, must keep its stderr for its own messages.
        const { createProvider } = await import('./oidc-provider.ts')
        current = {
          version: live.version,
          provider: createProvider({
            issuer: deps.config.publicUrl,
            keys: live,
            db,
            clock: deps.clock,
            identity,
          }),
        }
      }
      return current.provider
    },
  }
}

export type OidcService = ReturnType<typeof oidcService>
