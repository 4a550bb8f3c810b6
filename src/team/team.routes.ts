import type { FastifyInstance } from 'fastify'
import { authErrors, hierarchySchema, security } from '../http/schemas.ts'
import { hierarchyOf } from '../roles/role.ts'
import { teamError } from './team.errors.ts'
import {
  emptyBody,
  makeAdminBody,
  removeUserBody,
  teamChangeResponse,
  teamDataResponse,
} from './team.schemas.ts'
import type { TeamService } from './team.service.ts'

export async function teamRoutes(app: FastifyInstance, { team }: { team: TeamService }) {
  app.post('/api/getTeamData', {
    config: { permission: 'team:read' },
    schema: {
      tags: ['team'],
      summary: 'List members and pending invitations',
      security,
      body: emptyBody,
      response: { 200: teamDataResponse, ...authErrors },
    },
    // Already JSON (the database builds the members' part); sent as is, no re-serialisation.
    handler: async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await team.listJson(request.ctx.actor)),
  })

  app.post('/api/getRoleHierarchy', {
    config: { permission: 'team:read' },
    schema: {
      tags: ['team'],
      summary: "The caller's role and every role below it",
      security,
      body: emptyBody,
      response: { 200: hierarchySchema, ...authErrors },
    },
    handler: async (request) => hierarchyOf(request.ctx.actor.baseRole),
  })

  app.post<{ Body: { email?: unknown } }>('/api/removeUser', {
    config: { permission: 'members:remove', fieldErrors: { email: () => teamError('INVALID_EMAIL') } },
    schema: {
      tags: ['team'],
      summary: 'Remove a member, or cancel a pending invitation',
      security,
      body: removeUserBody,
      response: { 200: teamChangeResponse, ...authErrors },
    },
    handler: (request) => team.remove(request.ctx, request.body.email),
  })

  app.post<{ Body: { email?: unknown; userRole?: unknown } }>('/api/makeAdmin', {
    config: {
      permission: 'members:changeRole',
      fieldErrors: {
        email: () => teamError('INVALID_EMAIL'),
        userRole: () => teamError('INVALID_USER_ROLE'),
      },
    },
    schema: {
      tags: ['team'],
      summary: "Change a member's role",
      security,
      body: makeAdminBody,
      response: { 200: teamChangeResponse, ...authErrors },
    },
    handler: (request) => team.changeRole(request.ctx, request.body.email, request.body.userRole),
  })
}
