/** Applications (OIDC clients) of the caller's account: ADMINs add, list and delete them. */
import type { FastifyInstance } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { oidcClientError } from './oidc-client.errors.ts'
import {
  addClientBody,
  addClientResponse,
  clientListResponse,
  deleteClientBody,
  deleteClientResponse,
} from './oidc-client.schemas.ts'
import type { NewClientInput, OidcClientService } from './oidc-client.service.ts'

const tags = ['applications (Sign in with Roster)']

export async function oidcClientRoutes(
  app: FastifyInstance,
  { oidcClients }: { oidcClients: OidcClientService },
) {
  app.post<{ Body: NewClientInput }>('/api/addOidcClient', {
    config: {
      permission: 'oidcClients:manage',
      fieldErrors: {
        name: () => oidcClientError('INVALID_CLIENT_NAME'),
        redirectUris: () => oidcClientError('INVALID_REDIRECT_URI'),
        postLogoutRedirectUris: () => oidcClientError('INVALID_REDIRECT_URI'),
      },
    },
    schema: {
      tags,
      summary: 'Add an application that signs people in with Roster (the secret is shown once)',
      security,
      body: addClientBody,
      response: { 200: addClientResponse, ...authErrors },
    },
    handler: async (request) => oidcClients.add(request.ctx, request.body),
  })

  app.post('/api/fetchOidcClients', {
    config: { permission: 'oidcClients:manage' },
    schema: {
      tags,
      summary: "This account's applications (never their secrets)",
      security,
      body: emptyBody,
      response: { 200: clientListResponse, ...authErrors },
    },
    handler: async (request) => ({ oidcClients: await oidcClients.list(request.ctx.actor.accountId) }),
  })

  app.post<{ Body: { clientId?: unknown } }>('/api/deleteOidcClient', {
    config: {
      permission: 'oidcClients:manage',
      fieldErrors: { clientId: () => oidcClientError('OIDC_CLIENT_NOT_FOUND') },
    },
    schema: {
      tags,
      summary: 'Delete an application: its refresh tokens and grants stop working at once',
      security,
      body: deleteClientBody,
      response: { 200: deleteClientResponse, ...authErrors },
    },
    handler: async (request) => oidcClients.delete(request.ctx, request.body.clientId),
  })
}
