/**
 * The provider's keys, kept in the database so every instance signs and publishes alike. The
 * newest RS256 key signs; older live keys stay in the JWKS (tokens they signed keep verifying)
 * until retired. The cookie keys sign oidc-provider's own cookies (interaction, session).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { insertKey, liveKeys, retireAllBut } from './oidc-key.repository.ts'

export interface ProviderKeys {
  /** Private JWKs, newest (the signing one) first. */
  readonly jwks: { keys: Record<string, unknown>[] }
  readonly cookieKeys: string[]
  /** Changes whenever the set of live keys does. */
  readonly version: string
}

function newSigningKey() {
  const kid = randomBytes(12).toString('base64url')
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
  return { kid, secret: JSON.stringify(jwk) }
}

export function oidcKeyService(db: Kysely<Database>, clock: () => number) {
  async function load(): Promise<ProviderKeys> {
    const [sig, cookie] = await Promise.all([liveKeys(db, 'sig'), liveKeys(db, 'cookie')])
    return {
      jwks: { keys: sig.map((k) => JSON.parse(k.secret) as Record<string, unknown>) },
      cookieKeys: cookie.map((k) => k.secret),
      version: [...sig, ...cookie].map((k) => k.kid).join(','),
    }
  }

  async function addSigningKey(): Promise<string> {
    const key = newSigningKey()
    // Strictly newer than the newest, so it signs even when two are made within a millisecond.
    const [newest] = await liveKeys(db, 'sig')
    const now = Math.max(clock(), Number(newest?.created_at ?? 0) + 1)
    await insertKey(db, { kid: key.kid, kind: 'sig', secret: key.secret, now })
    return key.kid
  }

  return {
    load,
    /** Just the version, to tell cheaply whether another instance rotated. */
    async version(): Promise<string> {
      return (await load()).version
    },

    /** First start: a signing key and a cookie key. Racing instances may add one each; both stay valid. */
    async ensure(): Promise<void> {
      const [sig, cookie] = await Promise.all([liveKeys(db, 'sig'), liveKeys(db, 'cookie')])
      if (sig.length === 0) await addSigningKey()
      if (cookie.length === 0) {
        const kid = randomBytes(12).toString('base64url')
        await insertKey(db, {
          kid,
          kind: 'cookie',
          secret: randomBytes(32).toString('base64url'),
          now: clock(),
        })
      }
    },

    /** Adds a key that signs from now on; the older ones stay in the JWKS. */
    rotate: addSigningKey,

    /** Retires every signing key but the newest (after tokens signed by the old ones have expired). */
    async retireOld(): Promise<string[]> {
      const [newest] = await liveKeys(db, 'sig')
      return newest ? retireAllBut(db, 'sig', newest.kid, clock()) : []
    },
  }
}

export type OidcKeyService = ReturnType<typeof oidcKeyService>
