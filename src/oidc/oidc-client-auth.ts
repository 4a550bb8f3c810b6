/**
 * Client secrets are stored hashed, so oidc-provider cannot compare them itself: the edge checks
 * the presented secret (HTTP Basic or form body) against the hash, and only a match is handed on
 * (see clientRequest in oidc-adapter.ts). A deleted application keeps its secret (a tombstone).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { SecretMethod } from './oidc-client-metadata.ts'
import { findClientRow } from './oidc-client.repository.ts'
import { secretMatches } from './oidc-client.service.ts'

interface Presented {
  clientId: string
  secret: string
  method: SecretMethod
}

function decodeForm(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

function presented(authorization: string | undefined, body: unknown): Presented | undefined {
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return undefined
    const clientId = decodeForm(decoded.slice(0, colon))
    const secret = decodeForm(decoded.slice(colon + 1))
    return clientId && secret ? { clientId, secret, method: 'client_secret_basic' } : undefined
  }
  if (typeof body !== 'string') return undefined
  const form = new URLSearchParams(body)
  const clientId = form.get('client_id')
  const secret = form.get('client_secret')
  return clientId && secret ? { clientId, secret, method: 'client_secret_post' } : undefined
}

export async function checkedClientSecret(
  db: Kysely<Database>,
  authorization: string | undefined,
  body: unknown,
) {
  const p = presented(authorization, body)
  if (!p || p.clientId.length > 64 || p.secret.length > 200) return undefined
  const row = await findClientRow(db, p.clientId, { includeDeleted: true })
  return row?.secret_hash && secretMatches(row.secret_hash, p.secret) ? p : undefined
}
