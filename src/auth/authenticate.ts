/**
 * Authentication and the role table, before anything else runs: a route that declares
 * `config.permission` needs an actor, and the actor's role must allow the action (403 otherwise).
 * Credentials come from authenticators tried in order (API key first; sessions add their own).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiKeyService } from '../api-keys/api-key.service.ts'
import { AppError } from '../shared/app-error.ts'
import type { FailureLimiter } from './failure-limiter.ts'
import { can } from '../roles/permissions.ts'
import type { Actor, RequestContext } from '../shared/actor.ts'
import { commonError, roleForbidden } from '../shared/errors.ts'

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
      if (wait !== undefined) throw new AppError('RATE_LIMITED', 'Too many failed attempts; try again later.', wait)
      throw commonError('UNAUTHENTICATED')
    }
    return actor
  }
}

export function registerAuthentication(app: FastifyInstance, authenticators: readonly Authenticator[]) {
  app.decorateRequest('ctx', null as unknown as RequestContext)
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission
    if (permission === undefined) return
    let actor: Actor | undefined
    for (const authenticate of authenticators) {
      actor = await authenticate(request)
      if (actor) break
    }
    if (!actor) throw commonError('UNAUTHENTICATED')
    if (!can(actor.baseRole, permission)) throw roleForbidden(actor.roleName)
    const userAgent = request.headers['user-agent']
    request.ctx = { actor, ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null }
  })
}
