import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { randomId, timeOrderedId } from '../../src/shared/random-id.ts'

describe('randomId', () => {
  it('gives base64url ids of the asked length, never the same one twice across pool refills', () => {
    // 10,000 × 16 bytes is ~40 refills of the 4 KB pool.
    const ids = Array.from({ length: 10_000 }, () => randomId(16))
    assert.equal(new Set(ids).size, ids.length)
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/)
    assert.equal(Buffer.from(randomId(24), 'base64url').length, 24)
  })

  it('draws from the whole byte range (not a constant or a counter)', () => {
    const counts = new Array<number>(256).fill(0)
    for (let i = 0; i < 2_000; i++) for (const b of Buffer.from(randomId(16), 'base64url')) counts[b]!++
    // 32,000 bytes: every value is expected ~125 times; none absent, none far above.
    assert.ok(
      counts.every((c) => c > 50 && c < 250),
      `byte counts ${Math.min(...counts)}..${Math.max(...counts)}`,
    )
  })
})

describe('time-ordered random ids (invitation token ids)', () => {
  it('sort as their times do, across every digit of the time, and keep 16 random bytes', () => {
    const times = [0, 31, 32, 1023, 1024, Date.UTC(2026, 10, 29), Date.UTC(2026, 10, 29) + 1, 2 ** 50 - 1]
    const ids = times.map((t) => timeOrderedId(t, 16))
    assert.deepEqual([...ids].sort(), ids)
    for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{10}[A-Za-z0-9_-]{22}$/)
  })

  it('differ within one millisecond, by their random part', () => {
    const now = Date.now()
    const ids = Array.from({ length: 1000 }, () => timeOrderedId(now, 16))
    assert.equal(new Set(ids).size, ids.length)
    assert.equal(new Set(ids.map((id) => id.slice(0, 10))).size, 1)
  })
})
