import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { idList } from '../../src/db/id-list.ts'

describe('id lists for `in (…)`', () => {
  it('come in a power-of-two length, padded with the last id, so that few statement texts exist', () => {
    assert.deepEqual(idList([7]), [7])
    assert.deepEqual(idList([7, 8, 9]), [7, 8, 9, 9])
    assert.deepEqual(idList([1, 2, 3, 4]), [1, 2, 3, 4])
    const lengths = new Set(
      Array.from({ length: 200 }, (_, n) => idList(Array.from({ length: n + 1 }, (_, i) => i)).length),
    )
    assert.deepEqual([...lengths], [1, 2, 4, 8, 16, 32, 64, 128, 256])
    assert.deepEqual(idList([]), [])
  })
})
