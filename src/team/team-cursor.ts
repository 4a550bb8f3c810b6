/**
 * listTeam's opaque cursors: what the next page starts after, plus the query it belongs to,
 * signed with HMAC-SHA256 under the database's signing key (`payload.kid.mac`). A cursor that
 * was altered, signed by an unknown key, or reused with another account, kind, search or role
 * filter is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { SigningKeys } from '../signing-keys/signing-key.service.ts'
import { teamError } from './team.errors.ts'

export interface CursorScope {
  accountId: number
  kind: 'members' | 'invitations'
  search: string
  role: string
}

interface CursorPayload extends CursorScope {
  after: string
}

const mac = (secret: Uint8Array, text: string) =>
  createHmac('sha256', secret).update(`roster.listTeam.${text}`).digest()

export function signCursor(keys: SigningKeys, scope: CursorScope, after: string): string {
  const key = keys.signingKey()
  const payload: CursorPayload = { ...scope, after }
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${body}.${key.kid}.${mac(key.secret, `${body}.${key.kid}`).toString('base64url')}`
}

/** The login the page starts after; throws INVALID_CURSOR for anything not signed here for this scope. */
export async function openCursor(keys: SigningKeys, scope: CursorScope, cursor: string): Promise<string> {
  const parts = cursor.split('.')
  const [body, kid, signature] = parts
  if (parts.length !== 3 || !body || !kid || !signature) throw teamError('INVALID_CURSOR')
  const key = await keys.verificationKey(kid)
  if (!key) throw teamError('INVALID_CURSOR')
  const expected = mac(key.secret, `${body}.${kid}`)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw teamError('INVALID_CURSOR')
  let payload: Partial<CursorPayload>
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<CursorPayload>
  } catch {
    throw teamError('INVALID_CURSOR')
  }
  const sameScope =
    payload.accountId === scope.accountId &&
    payload.kind === scope.kind &&
    payload.search === scope.search &&
    payload.role === scope.role
  if (!sameScope || typeof payload.after !== 'string') throw teamError('INVALID_CURSOR')
  return payload.after
}
