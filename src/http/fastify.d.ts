import type { Action } from '../roles/permissions.ts'
import type { RequestContext } from '../shared/actor.ts'
import type { AppError } from '../shared/app-error.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action a route performs; routes without one are public. */
    permission?: Action
    /** Which domain error a schema failure on a body field becomes. */
    fieldErrors?: Record<string, () => AppError>
    /** A public POST that other sites' pages send by design (the SAML ACS). */
    crossSite?: boolean
  }
  interface FastifyRequest {
    /** Set by authentication on every route that declares a permission. */
    ctx: RequestContext
  }
}
