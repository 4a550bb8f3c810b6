/** SCIM bearer tokens: random, shown once, stored as SHA-256 (the API keys' scheme, another prefix). */
import { randomBytes } from 'node:crypto'
import { hashApiKey, sameHash } from '../api-keys/api-key.secret.ts'

const PREFIX = 'rsc_'
const TOKEN_PATTERN = /^rsc_[A-Za-z0-9_-]{43}$/

export function generateScimToken(): { token: string; hash: string; prefix: string } {
  // 32 random bytes = 256 bits, 43 base64url characters.
  const token = PREFIX + randomBytes(32).toString('base64url')
  return { token, hash: hashApiKey(token), prefix: token.slice(0, PREFIX.length + 6) }
}

export const hashScimToken = hashApiKey
export const sameTokenHash = sameHash

/** Cheap shape check, so that garbage never reaches the database. */
export function looksLikeScimToken(value: string): boolean {
  return TOKEN_PATTERN.test(value)
}
