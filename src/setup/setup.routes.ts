import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { setupBody, setupResponse, setupStatusResponse } from './setup.schemas.ts'
import type { SetupInput, SetupService } from './setup.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

export async function setupRoutes(
  app: FastifyInstance,
  { setup, config }: { setup: SetupService; config: Config },
) {
  app.post('/api/setupStatus', {
    schema: {
      tags: ['setup'],
      summary: 'Whether Roster still needs its first-run setup (public)',
      body: emptyBody,
      response: { 200: setupStatusResponse, ...authErrors },
    },
    handler: () => setup.status(),
  })

  app.post<{ Body: SetupInput }>('/api/setup', {
    // Hashing a password is costly: limited like signing in.
    config: { rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['setup'],
      summary:
        'First-run setup: create the first account and its ADMIN, and sign in (only while no account exists)',
      body: setupBody,
      response: { 200: setupResponse, 409: { $ref: 'Error#' }, ...authErrors },
    },
    handler: async (request, reply) => {
      const { token, view } = await setup.setup(request.body, metaOf(request))
      setSessionCookie(reply, config, token)
      return view
    },
  })
}
