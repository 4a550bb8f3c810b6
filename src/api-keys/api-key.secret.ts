/** API key material: random, shown once, stored as SHA-256, compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const PREFIX = 'rst_'
// 24 random bytes = 192 bits, 32 base64url characters.
const KEY_PATTERN = /^rst_[A-Za-z0-9_-]{32}$/

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = PREFIX + randomBytes(24).toString('base64url')
  return { key, hash: hashApiKey(key), prefix: key.slice(0, PREFIX.length + 6) }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Cheap shape check, so that garbage never reaches the database. */
export function looksLikeApiKey(value: string): boolean {
  return value.length === 36 && KEY_PATTERN.test(value)
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}
