/**
 * Authentication and the role table, before anything else runs: a route that declares
 * `config.permission` needs an actor, and the actor's role must allow the action (403 otherwise).
 * Credentials come from authenticators tried in order: the X-API-KEY header, then the session cookie.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiKeyService } from '../api-keys/api-key.service.ts'
import { AppError } from '../shared/app-error.ts'
import type { FailureLimiter } from './failure-limiter.ts'
import { can, MFA_ENROLMENT_ACTIONS } from '../roles/permissions.ts'
import { mfaError } from '../mfa/mfa.errors.ts'
import type { Actor, RequestContext } from '../shared/actor.ts'
import { commonError, roleForbidden } from '../shared/errors.ts'
import { isForeignOrigin, isSameOrigin } from '../sessions/same-origin.ts'
import type { SessionService } from '../sessions/session.service.ts'
import { SESSION_COOKIE } from '../sessions/session.token.ts'

/** Returns the actor, undefined when its credential is absent, or throws when it is bad. */
export type Authenticator = (request: FastifyRequest) => Promise<Actor | undefined>

export function apiKeyAuthenticator(apiKeys: ApiKeyService, failures: FailureLimiter): Authenticator {
  return async (request) => {
    const header = request.headers['x-api-key']
    if (header === undefined) return undefined
    // Repeated headers, or anything that is not a live key, is simply unauthenticated.
    const actor = typeof header === 'string' ? await apiKeys.authenticate(header) : undefined
    if (!actor) {
      const wait = failures.fail(request.ip)
      if (wait !== undefined)
        throw new AppError('RATE_LIMITED', 'Too many failed attempts; try again later.', wait)
      throw commonError('UNAUTHENTICATED')
    }
    return actor
  }
}

/**
 * The session cookie. A browser attaches it to cross-site requests too, so a cookie only counts
 * on a request that names one of our origins (the API key needs no such check: no browser adds it).
 */
export function sessionAuthenticator(
  sessions: SessionService,
  allowedOrigins: readonly string[],
): Authenticator {
  return async (request) => {
    const token = request.cookies?.[SESSION_COOKIE]
    if (token === undefined || token === '') return undefined
    const actor = await sessions.authenticate(token)
    if (!actor) throw commonError('UNAUTHENTICATED')
    if (!isSameOrigin(request, allowedOrigins)) throw commonError('CROSS_SITE_REQUEST')
    return actor
  }
}

export function registerAuthentication(
  app: FastifyInstance,
  authenticators: readonly Authenticator[],
  allowedOrigins: readonly string[],
) {
  app.decorateRequest('ctx', null as unknown as RequestContext)
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission
    if (permission === undefined) {
      // Public writes (sign-in, accepting an invitation) protect no session, but a foreign page
      // must not sign a browser in or out.
      if (
        request.method === 'POST' &&
        !request.routeOptions.config.crossSite &&
        isForeignOrigin(request, allowedOrigins)
      )
        throw commonError('CROSS_SITE_REQUEST')
      return
    }
    let actor: Actor | undefined
    for (const authenticate of authenticators) {
      actor = await authenticate(request)
      if (actor) break
    }
    if (!actor) throw commonError('UNAUTHENTICATED')
    // Sign-in is not complete until the second factor the account requires: that comes first.
    if (actor.mfaEnrolmentPending && !MFA_ENROLMENT_ACTIONS.includes(permission))
      throw mfaError('MFA_ENROLMENT_REQUIRED')
    if (!can(actor.baseRole, permission))
      throw request.routeOptions.config.forbidden?.() ?? roleForbidden(actor.baseRole)
    const userAgent = request.headers['user-agent']
    request.ctx = {
      actor,
      ip: request.ip ?? null,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
    }
  })
}
