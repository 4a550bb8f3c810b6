import type { Action } from '../roles/permissions.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { AppError } from '../shared/app-error.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action a route performs; routes without one are public. */
    permission?: Action
    /** Which domain error a schema failure on a body field becomes. */
    fieldErrors?: Record<string, () => AppError>
    /** The error a role without `permission` gets, where an Akto endpoint has its own words. */
    forbidden?: () => AppError
    /** Protocol endpoints other sites may post to, by design (OpenID Provider, the SAML ACS). */
    crossSite?: boolean
  }
  interface FastifyRequest {
    /** Set by authentication on every route that declares a permission. */
    ctx: RequestContext
  }
}
