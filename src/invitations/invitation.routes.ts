import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { commonError } from '../shared/errors.ts'
import { invitationError } from './invitation.errors.ts'
import { inviteBody, inviteResponse } from './invitation.schemas.ts'
import type { InvitationService, InviteInput } from './invitation.service.ts'

/** What inviteUsers answers a field of the wrong type (inviteUsersBulk answers its rows alike). */
export const inviteFieldErrors = {
  inviteeEmail: () => invitationError('INVALID_EMAIL'),
  inviteeRole: () => invitationError('INVALID_ROLE'),
  websiteHostName: () => commonError('INVALID_WEBSITE_HOST'),
}

export async function invitationRoutes(
  app: FastifyInstance,
  { invitations }: { invitations: InvitationService },
) {
  app.post<{ Body: InviteInput }>('/api/inviteUsers', {
    config: {
      permission: 'invitations:create',
      fieldErrors: inviteFieldErrors,
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
