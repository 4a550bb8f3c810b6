import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Batches, type Pending } from '../../src/db/batches.ts'

describe('the batching queue behind group commit', () => {
  it('puts what arrives together in one batch per key, at most 64, in arrival order', async () => {
    const seen: [string, number[]][] = []
    const batches = new Batches(async (key: string, batch: Pending<number>[]) => {
      seen.push([key, batch.map((p) => p.work)])
      for (const p of batch) p.resolve(p.work * 10)
    })
    const answers = await Promise.all([
      ...Array.from({ length: 70 }, (_, i) => batches.add<number>('a', i)),
      batches.add<number>('b', 1),
    ])
    assert.deepEqual(answers.slice(0, 3), [0, 10, 20])
    assert.deepEqual(
      seen.map(([key, works]) => [key, works.length, works[0]]),
      [
        ['a', 64, 0],
        ['b', 1, 1],
        ['a', 6, 64],
      ],
    )
  })

  it("answers a batch's callers with the error when its commit throws, and goes on with the next", async () => {
    let calls = 0
    const batches = new Batches(async (_: null, batch: Pending<string>[]) => {
      calls++
      if (calls === 1) {
        batch[0]!.resolve('answered before the failure')
        throw new Error('commit failed')
      }
      for (const p of batch) p.resolve(p.work)
    })
    const first = [batches.add<string>(null, 'x'), batches.add<string>(null, 'y')]
    const results = await Promise.allSettled(first)
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['answered before the failure', 'commit failed'],
    )
    assert.equal(await batches.add<string>(null, 'z'), 'z')
  })
})
