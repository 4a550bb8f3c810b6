import { randomFillSync } from 'node:crypto'

/**
 * Random identifiers for the hottest writes (an invitation's token id, a webhook event's id),
 * as base64url of `bytes` random bytes. The bytes come from the same CSPRNG as randomBytes, drawn
 * 4 KB at a time (as crypto.randomUUID does) and each used once: a randomBytes call per id cost
 * ~35 µs on the benchmark machine, ~4 % of an invitation (bench:profile).
 */
const POOL_SIZE = 4096
const pool = Buffer.alloc(POOL_SIZE)
let offset = POOL_SIZE

export function randomId(bytes: number): string {
  if (bytes > POOL_SIZE) throw new RangeError('randomId: too many bytes')
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool)
    offset = 0
  }
  const id = pool.toString('base64url', offset, offset + bytes)
  // Used once: zeroed so that no later reader of the pool can see it.
  pool.fill(0, offset, offset + bytes)
  offset += bytes
  return id
}
