/**
 * GET /metrics (Prometheus text format) and the hook that counts every answer. The endpoint is
 * off unless METRICS_TOKEN is set (then a Bearer token is required, compared in constant time) or
 * METRICS_PORT serves it on a listener of its own (see server.ts): scrapes never need a user.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Metrics, SignInResult } from './metrics.ts'

const digest = (value: string) => createHash('sha256').update(value).digest()

export function bearerMatches(header: string | undefined, token: string): boolean {
  // The scheme's name is case-insensitive (RFC 7235 §2.1).
  const match = /^Bearer (.+)$/i.exec(header ?? '')
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token))
}

/**
 * Sign-in outcomes read from the answer of the password sign-in route: a 200 that opens no
 * session is the two-factor step (`{mfaRequired, mfaToken}`).
 */
function signInResult(status: number, openedSession: boolean): SignInResult {
  if (status === 200) return openedSession ? 'success' : 'mfa'
  if (status === 429) return 'locked'
  return 'failure'
}

/** Counts every answer by its route pattern: an unknown URL is one series, `unmatched`. */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const method = request.method.length <= 7 ? request.method : 'OTHER'
    metrics.httpRequests.inc({ route, method, status: String(reply.statusCode) })
    metrics.httpDuration.observe({ route, method }, reply.elapsedTime / 1000)
    if (reply.statusCode === 429) metrics.rateLimited.inc({ route })
    if (route === '/api/login' && method === 'POST')
      metrics.signIns.inc({ result: signInResult(reply.statusCode, reply.hasHeader('set-cookie')) })
  })
}

/** Serves the registry at /metrics, behind `token` when one is given. */
export async function metricsRoutes(
  app: FastifyInstance,
  { metrics, token }: { metrics: Metrics; token: string | null },
) {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token !== null && !bearerMatches(request.headers.authorization, token)) {
      return reply.status(401).header('www-authenticate', 'Bearer').type('text/plain').send('Unauthorized\n')
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
}

/** METRICS_PORT: a listener that serves nothing but /metrics, so it can stay off the public network. */
export async function listenForMetrics(
  metrics: Metrics,
  options: { host: string; port: number; token: string | null },
) {
  const server = Fastify({ logger: false })
  await server.register(metricsRoutes, { metrics, token: options.token })
  await server.listen({ host: options.host, port: options.port })
  return server
}
