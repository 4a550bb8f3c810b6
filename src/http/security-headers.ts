/**
 * Browser-facing protections. Every answer: nosniff, no referrer, no framing. HTML pages also get
 * a strict Content-Security-Policy unless the route set its own (Swagger UI sets hashes for its
 * inline code). CORS: only configured origins may read answers or send credentials; a preflight
 * from any other origin is refused.
 */
import type { FastifyInstance } from 'fastify'
import { errorBody } from './error-status.ts'

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

export function registerSecurityHeaders(app: FastifyInstance, allowedOrigins: readonly string[]) {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('x-frame-options', 'DENY')
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('text/html') && !reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', PAGE_CSP)
    const origin = request.headers.origin
    if (origin && allowedOrigins.includes(origin)) {
      reply.header('access-control-allow-origin', origin)
      reply.header('access-control-allow-credentials', 'true')
      reply.header('vary', 'Origin')
    }
    return payload
  })

  app.options('*', { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin
    if (!origin || !allowedOrigins.includes(origin)) {
      return reply.status(403).send(errorBody('CORS_ORIGIN_REFUSED', 'This origin may not call Roster.'))
    }
    return reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type, x-api-key')
      .header('access-control-max-age', '600')
      .send()
  })
}
