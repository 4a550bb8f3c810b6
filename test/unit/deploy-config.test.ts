import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../src/config.ts'

describe('deployment settings', () => {
  it('defaults to a pool of 10, no Redis and a generous per-second limit', () => {
    const config = loadConfig({})
    assert.equal(config.databasePoolSize, 10)
    assert.equal(config.redisUrl, undefined)
    assert.equal(config.redisPrefix, 'roster:')
    assert.equal(config.rateLimitMax, 1000)
    assert.equal(config.rateLimitWindowSeconds, 1)
  })

  it('reads the pool size, Redis and the limit from the environment', () => {
    const config = loadConfig({
      DATABASE_POOL_SIZE: '25',
      REDIS_URL: 'redis://cache:6379',
      RATE_LIMIT_MAX: '0',
      RATE_LIMIT_WINDOW: '60',
    })
    assert.equal(config.databasePoolSize, 25)
    assert.equal(config.redisUrl, 'redis://cache:6379')
    assert.equal(config.rateLimitMax, 0)
    assert.equal(config.rateLimitWindowSeconds, 60)
  })

  it('stops start-up naming the variable when a value is wrong', () => {
    assert.throws(
      () => loadConfig({ DATABASE_POOL_SIZE: '0' }),
      /DATABASE_POOL_SIZE must be between 1 and 1000/,
    )
    assert.throws(
      () => loadConfig({ DATABASE_POOL_SIZE: 'ten' }),
      /DATABASE_POOL_SIZE must be a whole number/,
    )
    assert.throws(
      () => loadConfig({ REDIS_URL: 'cache:6379' }),
      /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/,
    )
    assert.throws(
      () => loadConfig({ RATE_LIMIT_WINDOW: '0' }),
      /RATE_LIMIT_WINDOW must be between 1 and 86400/,
    )
    assert.throws(
      () => loadConfig({ LOGIN_RATE_LIMIT_WINDOW: '0' }),
      /LOGIN_RATE_LIMIT_WINDOW must be between 1 and 86400/,
    )
    assert.throws(
      () => loadConfig({ METRICS_TOKEN: 'short' }),
      /METRICS_TOKEN must be at least 16 printable characters/,
    )
    assert.throws(() => loadConfig({ METRICS_PORT: '70000' }), /METRICS_PORT must be between 1 and 65535/)
  })
})
