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

/** Crockford's base 32: its digits sort in ASCII as in value. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A random identifier that sorts by creation time: the time (ms) as 10 base-32 digits, then
 * `bytes` random bytes as randomId does (as ULID and UUIDv7 do). Unique indexes on such ids grow
 * at their right edge: with wholly random ids every insert landed on a page of its own in each
 * index holding them, one more 4 KB page for every commit to write (docs/benchmarks.md).
 */
export function timeOrderedId(now: number, bytes: number): string {
  let time = Math.max(0, Math.floor(now))
  let prefix = ''
  for (let i = 0; i < 10; i++) {
    prefix = BASE32[time % 32]! + prefix
    time = Math.floor(time / 32)
  }
  return prefix + randomId(bytes)
}
