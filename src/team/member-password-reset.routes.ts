import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { commonError } from '../shared/errors.ts'
import type { MemberPasswordResetService } from './member-password-reset.service.ts'
import { teamError } from './team.errors.ts'
import { teamChangeResponse } from './team.schemas.ts'

const body = {
  type: 'object',
  properties: {
    userEmail: { type: 'string' },
    // Akto sends the page's host: the link's origin when it is a configured one, as inviteUsers'.
    websiteHostName: {
      type: 'string',
      description: 'Optional origin of the link; must be a configured public origin.',
    },
  },
  example: { userEmail: 'bob@acme.com' },
} as const

const response = {
  ...teamChangeResponse,
  properties: {
    ...teamChangeResponse.properties,
    passwordResetToken: { type: 'string', description: 'The reset link (also emailed).' },
  },
  example: {
    ...teamChangeResponse.example,
    passwordResetToken: 'http://localhost:8080/resetPassword?token=rss_…',
  },
} as const

export async function memberPasswordResetRoutes(
  app: FastifyInstance,
  { resets }: { resets: MemberPasswordResetService },
) {
  app.post<{ Body: { userEmail?: unknown; websiteHostName?: unknown } }>('/api/resetUserPassword', {
    config: {
      permission: 'members:resetPassword',
      fieldErrors: {
        userEmail: () => teamError('USER_NOT_FOUND'),
        websiteHostName: () => commonError('INVALID_WEBSITE_HOST'),
      },
    },
    schema: {
      tags: ['team'],
      summary: "Make and email a single-use password-reset link for a member (ADMIN; Akto's dashboard)",
      security,
      body,
      response: { 200: response, ...authErrors },
    },
    handler: (request) => resets.reset(request.ctx, request.body.userEmail, request.body.websiteHostName),
  })
}
