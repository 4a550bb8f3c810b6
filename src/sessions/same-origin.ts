/**
 * Cross-site request protection for cookie-authenticated requests. Browsers send `Origin` on every
 * POST (and `Referer` when a privacy setting strips it), so a request whose origin is not one of
 * ours, or that names no origin at all, is not a write from our own pages.
 */
import type { FastifyRequest } from 'fastify'

/** The origin the browser says the request comes from; null when it names none, 'invalid' when unreadable. */
export function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin
  if (typeof origin === 'string') return origin
  const referer = request.headers.referer
  if (typeof referer !== 'string') return null
  try {
    return new URL(referer).origin
  } catch {
    return 'invalid'
  }
}

/** True when the request names one of our origins. */
export function isSameOrigin(request: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = requestOrigin(request)
  return origin !== null && allowed.includes(origin)
}

/** For public endpoints (sign-in, accepting): refuse only a request that names a foreign origin. */
export function isForeignOrigin(request: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = requestOrigin(request)
  return origin !== null && !allowed.includes(origin)
}
