import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import {
  acceptBody,
  acceptResponse,
  invitationInfoResponse,
  invitationRefBody,
} from './acceptance.schemas.ts'
import type { AcceptanceService, AcceptInput, InvitationRef } from './acceptance.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

export async function acceptanceRoutes(
  app: FastifyInstance,
  { acceptance, config }: { acceptance: AcceptanceService; config: Config },
) {
  app.post<{ Body: InvitationRef }>('/api/getInvitationInfo', {
    schema: {
      tags: ['invitations'],
      summary: 'Who invited whom to which account with which role (public; the link is the credential)',
      body: invitationRefBody,
      response: { 200: invitationInfoResponse, ...authErrors },
    },
    handler: (request) => acceptance.info(request.body),
  })

  app.post<{ Body: AcceptInput }>('/api/acceptInvitation', {
    // Guessing an existing user's password through a link is limited like signing in.
    config: { rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['invitations'],
      summary: 'Accept an invitation: join with the invited role and sign in',
      body: acceptBody,
      response: { 200: acceptResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const { token, accepted } = await acceptance.accept(request.body, metaOf(request))
      if (token !== undefined) setSessionCookie(reply, config, token)
      return accepted
    },
  })
}
