import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { apiKeyError } from './api-key.errors.ts'
import { addTokenBody, deleteTokenBody, deleteTokenResponse, tokenListResponse } from './api-key.schemas.ts'
import type { ApiKeyService, ApiKeyView } from './api-key.service.ts'
import type { TokenUtility } from './token-utility.ts'

function wire(key: ApiKeyView & { key?: string }) {
  return {
    id: key.id,
    name: key.name,
    keyPrefix: key.keyPrefix,
    utility: key.utility,
    username: key.email,
    timestamp: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    ...(key.key ? { key: key.key } : {}),
  }
}

export async function apiKeyRoutes(app: FastifyInstance, { apiKeys }: { apiKeys: ApiKeyService }) {
  app.post<{ Body: { name?: unknown; tokenUtility?: TokenUtility } }>('/api/addApiToken', {
    config: {
      permission: 'apiKeys:manageOwn',
      fieldErrors: {
        name: () => apiKeyError('INVALID_KEY_NAME'),
        tokenUtility: () => apiKeyError('INVALID_TOKEN_UTILITY'),
      },
    },
    schema: {
      tags: ['api keys'],
      summary: 'Create an API key for yourself in this account (shown once)',
      security,
      body: addTokenBody,
      response: { 200: tokenListResponse, ...authErrors },
    },
    handler: async (request) => ({
      apiTokenList: [wire(await apiKeys.create(request.ctx, request.body.name, request.body.tokenUtility))],
    }),
  })

  app.post('/api/fetchApiTokens', {
    config: { permission: 'apiKeys:manageOwn' },
    schema: {
      tags: ['api keys'],
      summary: 'Your live API keys in this account',
      security,
      body: emptyBody,
      response: { 200: tokenListResponse, ...authErrors },
    },
    handler: async (request) => ({ apiTokenList: (await apiKeys.listOwn(request.ctx.actor)).map(wire) }),
  })

  app.post<{ Body: { apiTokenId?: unknown } }>('/api/deleteApiToken', {
    config: {
      permission: 'apiKeys:manageOwn',
      fieldErrors: { apiTokenId: () => apiKeyError('API_KEY_NOT_FOUND') },
    },
    schema: {
      tags: ['api keys'],
      summary: 'Revoke one of your API keys',
      security,
      body: deleteTokenBody,
      response: { 200: deleteTokenResponse, ...authErrors },
    },
    handler: async (request) => {
      await apiKeys.revokeOwn(request.ctx, request.body.apiTokenId)
      return { apiTokenDeleted: true }
    },
  })
}
