/**
 * A per-client-address limit on /api/* (RATE_LIMIT_MAX=0 turns it off), and the plugin that
 * routes with limits of their own (sign-in) use. With REDIS_URL the counters live in Redis, so every
 * instance behind the load balancer counts against the same budget; without it each process
 * counts in memory (fine for one instance). Over the limit: 429 with Retry-After, in the spec's
 * error shape (the error handler turns the plugin's 429 into RATE_LIMITED).
 */
import type { FastifyInstance } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'

export async function registerRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  // The plugin is always there: routes such as sign-in set their own limits through it.
  const redis = config.redisUrl ? await connectRedis(app, config.redisUrl) : undefined
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())))
  await app.register(rateLimit, {
    // Applied below as an app-wide hook, so that it runs before authentication (route hooks,
    // which `global: true` would add, run after app-wide ones).
    global: false,
    max: config.rateLimitMax || 1,
    timeWindow: config.rateLimitWindowSeconds * 1000,
    allowList: (request) => !request.url.startsWith('/api/'),
    // Redis away must not take the API down with it: requests pass uncounted meanwhile.
    skipOnError: true,
    ...(redis ? { redis, nameSpace: `${config.redisPrefix}rate-limit:` } : {}),
  })
  if (config.rateLimitMax > 0) {
    const limit = app.rateLimit()
    // The plugin limits a request once: a route with a limit of its own (sign-in) keeps only that one.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.config.rateLimit) await limit.call(app, request, reply)
    })
  }
}

async function connectRedis(app: FastifyInstance, url: string): Promise<Redis> {
  // Loaded only when REDIS_URL is set: a single instance never needs it.
  const { Redis } = await import('ioredis')
  const redis = new Redis(url, {
    // Bounded waits: a counter that cannot be reached within a second is skipped, not awaited.
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
  })
  // ioredis reconnects by itself; an unheard 'error' would only add noise.
  redis.on('error', (error: Error) => app.log.warn({ err: error }, 'redis unavailable'))
  return redis
}

/**
 * The per-address limit of the routes that check a password or a one-time secret (sign-in, the
 * second factor, passkeys, password reset, first-run setup, accepting an invitation), beside the
 * /api/* one: LOGIN_RATE_LIMIT attempts per LOGIN_RATE_LIMIT_WINDOW seconds.
 */
export function signInRateLimit(config: Config) {
  return { max: config.loginRateLimit, timeWindow: config.loginRateLimitWindowSeconds * 1000 }
}
