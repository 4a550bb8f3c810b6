import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors, security } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import { emptyObject, loginResponse } from '../sessions/session.schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import type { PasskeyService } from './passkey.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

/** WebAuthn's JSON, as @simplewebauthn/browser sends and reads it: checked by the library. */
const webauthnJson = { type: 'object', additionalProperties: true } as const

const passkeyView = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    createdAt: { type: 'integer' },
    lastUsedAt: { type: ['integer', 'null'] },
  },
  required: ['id', 'name', 'createdAt', 'lastUsedAt'],
} as const

export async function passkeyRoutes(
  app: FastifyInstance,
  { passkeys, config }: { passkeys: PasskeyService; config: Config },
) {
  const perAddress = { rateLimit: signInRateLimit(config) }

  app.post('/api/fetchPasskeys', {
    config: { permission: 'self:security' },
    schema: {
      tags: ['security'],
      summary: 'Your passkeys',
      security,
      body: emptyBody,
      response: {
        200: {
          type: 'object',
          properties: { passkeys: { type: 'array', items: passkeyView } },
          required: ['passkeys'],
        },
        ...authErrors,
      },
    },
    handler: (request) => passkeys.list(request.ctx.actor),
  })

  app.post('/api/passkeyRegistrationOptions', {
    config: { permission: 'self:enrolMfa' },
    schema: {
      tags: ['security'],
      summary: 'Options for registering a new passkey (WebAuthn creation options)',
      security,
      body: emptyBody,
      response: { 200: webauthnJson, ...authErrors },
    },
    handler: (request) => passkeys.registrationOptions(request.ctx.actor),
  })

  app.post<{ Body: { name?: string; response?: unknown } }>('/api/registerPasskey', {
    config: { permission: 'self:enrolMfa' },
    schema: {
      tags: ['security'],
      summary: 'Register a passkey with the authenticator’s answer',
      security,
      body: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: 200 }, response: webauthnJson },
        required: ['response'],
      },
      response: { 200: passkeyView, ...authErrors },
    },
    handler: (request) => passkeys.register(request.ctx, request.body),
  })

  app.post<{ Body: { id: number } }>('/api/removePasskey', {
    config: { permission: 'self:security' },
    schema: {
      tags: ['security'],
      summary: 'Remove one of your passkeys',
      security,
      body: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      response: { 200: emptyObject, ...authErrors },
    },
    handler: async (request) => {
      await passkeys.remove(request.ctx, request.body.id)
      return {}
    },
  })

  app.post('/api/passkeyLoginOptions', {
    config: perAddress,
    schema: {
      tags: ['sessions'],
      summary: 'Options for signing in with a passkey (WebAuthn request options)',
      body: emptyBody,
      response: { 200: webauthnJson, ...authErrors },
    },
    handler: () => passkeys.loginOptions(),
  })

  app.post<{ Body: { response?: unknown } }>('/api/passkeyLogin', {
    config: perAddress,
    schema: {
      tags: ['sessions'],
      summary: 'Sign in with a passkey; sets the session cookie',
      body: { type: 'object', properties: { response: webauthnJson }, required: ['response'] },
      response: { 200: loginResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const { token, view } = await passkeys.login(request.body, metaOf(request))
      setSessionCookie(reply, config, token)
      return view
    },
  })
}
