import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { commonError } from '../shared/errors.ts'
import { invitationError } from './invitation.errors.ts'
import { inviteBody, inviteResponse } from './invitation.schemas.ts'
import type { InvitationService, InviteInput } from './invitation.service.ts'

export async function invitationRoutes(
  app: FastifyInstance,
  { invitations }: { invitations: InvitationService },
) {
  app.post<{ Body: InviteInput }>('/api/inviteUsers', {
    config: {
      permission: 'invitations:create',
      fieldErrors: {
        inviteeEmail: () => invitationError('INVALID_EMAIL'),
        inviteeRole: () => invitationError('INVALID_ROLE'),
        websiteHostName: () => commonError('INVALID_WEBSITE_HOST'),
      },
    },
    schema: {
      tags: ['invitations'],
      summary: 'Invite someone by email with a role',
      security,
      body: inviteBody,
      response: { 200: inviteResponse, ...authErrors },
    },
    handler: (request) => invitations.invite(request.ctx, request.body),
  })
}
