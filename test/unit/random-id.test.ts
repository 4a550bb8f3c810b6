import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { timeOrderedId } from '../../src/shared/random-id.ts'

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
