import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { teamError } from './team.errors.ts'
import { listTeamBody, listTeamResponse } from './team-listing.schemas.ts'
import type { ListTeamInput, TeamListingService } from './team-listing.service.ts'

export async function teamListingRoutes(app: FastifyInstance, { listing }: { listing: TeamListingService }) {
  app.post<{ Body: ListTeamInput }>('/api/listTeam', {
    config: { permission: 'team:read', fieldErrors: { cursor: () => teamError('INVALID_CURSOR') } },
    schema: {
      tags: ['team'],
      summary: 'One page of members or pending invitations, by login, searchable',
      security,
      body: listTeamBody,
      response: { 200: listTeamResponse, ...authErrors },
    },
    handler: (request) => listing.list(request.ctx.actor, request.body),
  })
}
