/** Akto's SSO settings calls (akto-compat.md §8): ADMIN only, over the one SSO configuration. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { authErrors, security } from '../http/schemas.ts'
import type { AppError } from '../shared/app-error.ts'
import { emptyBody } from '../team/team.schemas.ts'
import type { AktoSso, ConfigTypeInput } from './akto-sso.ts'
import { configTypeBody, oktaBody, oktaView, samlBody, samlView } from './akto-sso.schemas.ts'
import { ssoConfigError } from './sso.errors.ts'

const invalid = (code: Parameters<typeof ssoConfigError>[0]) => () => ssoConfigError(code)
const configTypeError = { configType: invalid('SSO_INVALID_CONFIG_TYPE') }

type Call = {
  path: string
  summary: string
  body: object
  response: object
  fieldErrors?: Record<string, () => AppError>
  handle(request: FastifyRequest<{ Body: Record<string, unknown> }>): Promise<unknown>
}

export async function aktoSsoRoutes(app: FastifyInstance, { aktoSso }: { aktoSso: AktoSso }) {
  const calls: Call[] = [
    {
      path: '/api/addOktaSso',
      summary: "Set Okta as the account's identity provider (Akto's dashboard; ADMIN)",
      body: oktaBody,
      response: oktaView,
      fieldErrors: {
        clientId: invalid('SSO_INVALID_CLIENT'),
        clientSecret: invalid('SSO_INVALID_CLIENT'),
        oktaDomain: invalid('SSO_INVALID_OKTA_DOMAIN'),
        authorisationServerId: invalid('SSO_INVALID_OKTA_SERVER'),
      },
      handle: (request) => aktoSso.addOkta(request.ctx, request.body),
    },
    {
      path: '/api/fetchOktaSso',
      summary: "The account's Okta configuration, never the secret (ADMIN)",
      body: emptyBody,
      response: oktaView,
      handle: (request) => aktoSso.fetchOkta(request.ctx),
    },
    {
      path: '/api/deleteOktaSso',
      summary: "Remove the account's Okta configuration (ADMIN)",
      body: emptyBody,
      response: oktaView,
      handle: (request) => aktoSso.deleteOkta(request.ctx),
    },
    {
      path: '/api/addSAMLSso',
      summary: "Set a SAML identity provider (Akto's Azure / Google Workspace pages; ADMIN)",
      body: samlBody,
      response: samlView,
      fieldErrors: {
        loginUrl: invalid('SSO_INVALID_SAML'),
        x509Certificate: invalid('SSO_INVALID_SAML'),
        ssoEntityId: invalid('SSO_INVALID_SAML'),
        ...configTypeError,
      },
      handle: (request) => aktoSso.addSaml(request.ctx, request.body),
    },
    {
      path: '/api/fetchSAMLSso',
      summary: "The account's SAML identity provider (ADMIN)",
      body: configTypeBody,
      response: samlView,
      fieldErrors: configTypeError,
      handle: (request) => aktoSso.fetchSaml(request.ctx, request.body as unknown as ConfigTypeInput),
    },
    {
      path: '/api/deleteSamlSso',
      summary: "Remove the account's SAML identity provider (ADMIN)",
      body: configTypeBody,
      response: samlView,
      fieldErrors: configTypeError,
      handle: (request) => aktoSso.deleteSaml(request.ctx, request.body as unknown as ConfigTypeInput),
    },
  ]

  for (const call of calls) {
    app.post<{ Body: Record<string, unknown> }>(call.path, {
      config: { permission: 'sso:manage', fieldErrors: call.fieldErrors ?? {} },
      schema: {
        tags: ['sso'],
        summary: call.summary,
        security,
        body: call.body,
        response: { 200: call.response, ...authErrors },
      },
      handler: call.handle,
    })
  }
}
