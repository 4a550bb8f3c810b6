import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { customRoleError } from './custom-role.errors.ts'
import { createRoleBody, deleteRoleBody, rolesResponse, updateRoleBody } from './custom-role.schemas.ts'
import type { CustomRoleService } from './custom-role.service.ts'

export async function customRoleRoutes(
  app: FastifyInstance,
  { customRoles }: { customRoles: CustomRoleService },
) {
  app.post('/api/getCustomRoles', {
    config: { permission: 'roles:read' },
    schema: {
      tags: ['roles'],
      summary: "The account's custom roles",
      security,
      body: emptyBody,
      response: { 200: rolesResponse, ...authErrors },
    },
    handler: async (request) => ({ roles: await customRoles.list(request.ctx.actor) }),
  })

  app.post<{ Body: { roleName?: unknown; baseRole?: unknown; defaultInviteRole?: unknown } }>(
    '/api/createCustomRole',
    {
      config: {
        permission: 'roles:manage',
        fieldErrors: {
          roleName: () => customRoleError('ROLE_NAME_INVALID'),
          baseRole: () => customRoleError('INVALID_BASE_ROLE'),
        },
      },
      schema: {
        tags: ['roles'],
        summary: 'Create a custom role',
        security,
        body: createRoleBody,
        response: { 200: rolesResponse, ...authErrors },
      },
      handler: async (request) => ({ roles: await customRoles.create(request.ctx, request.body) }),
    },
  )

  app.post<{ Body: { roleName?: unknown; baseRole?: unknown; defaultInviteRole?: unknown } }>(
    '/api/updateCustomRole',
    {
      config: {
        permission: 'roles:manage',
        fieldErrors: {
          roleName: () => customRoleError('ROLE_NOT_FOUND'),
          baseRole: () => customRoleError('INVALID_BASE_ROLE'),
        },
      },
      schema: {
        tags: ['roles'],
        summary: "Change a custom role's base role or default-invite flag (Akto's dashboard)",
        security,
        body: updateRoleBody,
        response: { 200: rolesResponse, ...authErrors },
      },
      handler: async (request) => ({ roles: await customRoles.update(request.ctx, request.body) }),
    },
  )

  app.post<{ Body: { roleName?: unknown } }>('/api/deleteCustomRole', {
    config: {
      permission: 'roles:manage',
      fieldErrors: { roleName: () => customRoleError('ROLE_NOT_FOUND') },
    },
    schema: {
      tags: ['roles'],
      summary: 'Delete an unused custom role',
      security,
      body: deleteRoleBody,
      response: { 200: rolesResponse, ...authErrors },
    },
    handler: async (request) => ({ roles: await customRoles.remove(request.ctx, request.body) }),
  })
}
