import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import type { ScimTokenService } from './scim-token.service.ts'

const token = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    prefix: { type: 'string' },
    createdAt: { type: 'integer' },
    lastUsedAt: { type: ['integer', 'null'] },
  },
  required: ['id', 'name', 'prefix', 'createdAt'],
} as const

const tags = ['scim']

export async function scimTokenRoutes(
  app: FastifyInstance,
  { scimTokens }: { scimTokens: ScimTokenService },
) {
  app.post<{ Body: { name?: unknown } }>('/api/addScimToken', {
    config: { permission: 'scim:manage' },
    schema: {
      tags,
      summary: 'Create a SCIM bearer token for this account (shown once)',
      security,
      body: { type: 'object', properties: { name: { type: 'string' } }, example: { name: 'Okta' } },
      response: {
        200: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            token: { type: 'string' },
            name: { type: 'string' },
            prefix: { type: 'string' },
          },
          required: ['id', 'token'],
        },
        ...authErrors,
      },
    },
    handler: (request) => scimTokens.create(request.ctx, request.body.name),
  })

  app.post('/api/fetchScimTokens', {
    config: { permission: 'scim:manage' },
    schema: {
      tags,
      summary: "The account's live SCIM tokens, its SCIM base URL and default role",
      security,
      body: emptyBody,
      response: {
        200: {
          type: 'object',
          properties: {
            scimTokens: { type: 'array', items: token },
            baseUrl: { type: 'string' },
            defaultRole: { type: 'string' },
          },
          required: ['scimTokens', 'baseUrl', 'defaultRole'],
        },
        ...authErrors,
      },
    },
    handler: async (request) => {
      const [list, settings] = await Promise.all([
        scimTokens.list(request.ctx),
        scimTokens.settings(request.ctx),
      ])
      return {
        scimTokens: list.map((t) => ({
          ...t,
          createdAt: Number(t.createdAt),
          lastUsedAt: t.lastUsedAt === null ? null : Number(t.lastUsedAt),
        })),
        ...settings,
      }
    },
  })

  app.post<{ Body: { id?: unknown } }>('/api/deleteScimToken', {
    config: { permission: 'scim:manage' },
    schema: {
      tags,
      summary: 'Revoke a SCIM token; it stops working at once',
      security,
      body: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], example: { id: 1 } },
      response: {
        200: { type: 'object', properties: { id: { type: 'integer' }, revoked: { type: 'boolean' } } },
        ...authErrors,
        404: { $ref: 'Error#' },
      },
    },
    handler: (request) => scimTokens.revoke(request.ctx, request.body.id),
  })

  app.post<{ Body: { role?: unknown } }>('/api/updateScimDefaultRole', {
    config: { permission: 'scim:manage' },
    schema: {
      tags,
      summary: 'The role SCIM gives a new member when the identity provider names none',
      security,
      body: { type: 'object', properties: { role: { type: 'string' } }, example: { role: 'MEMBER' } },
      response: { 200: { type: 'object', properties: { defaultRole: { type: 'string' } } }, ...authErrors },
    },
    handler: (request) => scimTokens.setDefaultRole(request.ctx, request.body.role),
  })
}
