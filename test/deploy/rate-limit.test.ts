import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { json, startTestApp } from '../helpers/app.ts'

const redisUrl = process.env.TEST_REDIS_URL

describe('rate limiting of /api/*', () => {
  it('answers 429 with Retry-After and the error shape once a client passes the limit', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' } })
    try {
      const { adminKey } = await t.account()
      for (let i = 0; i < 3; i++) assert.equal((await t.post('/api/getTeamData', adminKey)).statusCode, 200)
      const limited = await t.post('/api/getTeamData', adminKey)
      assert.equal(limited.statusCode, 429)
      assert.deepEqual(json(limited), {
        actionErrors: ['Too many requests; try again later.'],
        code: 'RATE_LIMITED',
      })
      const retryAfter = Number(limited.headers['retry-after'])
      assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`)
      // Bad keys are throttled too, and health probes never are.
      assert.equal((await t.post('/api/getTeamData', 'rst_wrong')).statusCode, 429)
      assert.equal((await t.server.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
    } finally {
      await t.close()
    }
  })

  it('is off when RATE_LIMIT_MAX is 0', async () => {
    // The control: the same window with a limit of 3 answers the 4th request 429. With 0, 1,100
    // requests in a 60 s window (more than the default 1,000 per window) are all served.
    const control = await startTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' } })
    try {
      const { adminKey } = await control.account()
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await control.post('/api/getTeamData', adminKey)).statusCode)
      assert.deepEqual(statuses, [200, 200, 200, 429])
    } finally {
      await control.close()
    }
    const t = await startTestApp({ env: { RATE_LIMIT_MAX: '0', RATE_LIMIT_WINDOW: '60' } })
    try {
      const { adminKey } = await t.account()
      const counts = new Map<number, number>()
      for (let i = 0; i < 1100; i++) {
        const status = (await t.post('/api/getTeamData', adminKey)).statusCode
        counts.set(status, (counts.get(status) ?? 0) + 1)
      }
      assert.deepEqual([...counts], [[200, 1100]])
    } finally {
      await t.close()
    }
  })

  it(
    'shares one budget between two instances through Redis',
    { skip: redisUrl ? false : 'set TEST_REDIS_URL to run' },
    async () => {
      // A prefix of its own: no other run sees these counters, and they are removed at the end.
      const prefix = `roster-test:${randomBytes(6).toString('hex')}:`
      const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW: '60' }
      const a = await startTestApp({ env })
      const b = await startTestApp({ env, testDb: a.testDb })
      const redis = new Redis(redisUrl!)
      after(async () => {
        await b.close({ keepDatabase: true })
        await a.close()
        const keys = await redis.keys(`${prefix}*`)
        if (keys.length > 0) await redis.del(...keys)
        await redis.quit()
      })
      const { adminKey } = await a.account()
      const statuses: number[] = []
      for (const app of [a, b, a, b, a, b])
        statuses.push((await app.post('/api/getTeamData', adminKey)).statusCode)
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429])
      assert.ok((await redis.keys(`${prefix}*`)).length > 0, 'the counter lives in Redis under the prefix')
    },
  )
})
