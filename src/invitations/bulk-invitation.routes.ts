import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { bulkInviteBody, bulkInviteResponse } from './bulk-invitation.schemas.ts'
import type { BulkInvitationService, BulkRow } from './bulk-invitation.service.ts'

export async function bulkInvitationRoutes(app: FastifyInstance, { bulk }: { bulk: BulkInvitationService }) {
  app.post<{ Body: { invitations: BulkRow[]; websiteHostName?: string } }>('/api/inviteUsersBulk', {
    config: { permission: 'invitations:create' },
    schema: {
      tags: ['invitations'],
      summary: 'Invite up to 1000 people at once; one result per row',
      security,
      body: bulkInviteBody,
      response: { 200: bulkInviteResponse, ...authErrors },
    },
    handler: async (request) => ({
      results: await bulk.inviteMany(request.ctx, request.body.invitations, {
        websiteHostName: request.body.websiteHostName,
      }),
    }),
  })
}
