import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors, security } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import { emptyObject, loginResponse } from '../sessions/session.schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import {
  accountPolicyBody,
  accountPolicyResponse,
  confirmTotpBody,
  recoveryCodesResponse,
  secondFactorBody,
  securityStatusResponse,
  startTotpResponse,
  verifyMfaBody,
} from './mfa.schemas.ts'
import type { MfaService, SecondFactorInput } from './mfa.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

export async function mfaRoutes(app: FastifyInstance, { mfa, config }: { mfa: MfaService; config: Config }) {
  app.post('/api/fetchSecurityStatus', {
    // Allowed before enrolment: the page learns from it that enrolment is required.
    config: { permission: 'self:read' },
    schema: {
      tags: ['security'],
      summary: 'Your two-factor state and the account policy',
      security,
      body: emptyBody,
      response: { 200: securityStatusResponse, ...authErrors },
    },
    handler: (request) => mfa.status(request.ctx.actor),
  })

  app.post('/api/startTotp', {
    config: { permission: 'self:enrolMfa' },
    schema: {
      tags: ['security'],
      summary: 'Begin two-factor enrolment: a new secret, its otpauth URL and QR code',
      security,
      body: emptyBody,
      response: { 200: startTotpResponse, ...authErrors },
    },
    handler: (request) => mfa.startTotp(request.ctx.actor),
  })

  app.post<{ Body: { code?: string } }>('/api/confirmTotp', {
    config: { permission: 'self:enrolMfa' },
    schema: {
      tags: ['security'],
      summary: 'Finish enrolment with a first code; answers 10 one-time recovery codes',
      security,
      body: confirmTotpBody,
      response: { 200: recoveryCodesResponse, ...authErrors },
    },
    handler: (request) => mfa.confirmTotp(request.ctx, request.body.code),
  })

  app.post<{ Body: SecondFactorInput }>('/api/disableTotp', {
    // The proof is a guess at a one-time code: limited per address like the sign-in step's.
    config: { permission: 'self:security', rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['security'],
      summary: 'Turn two-factor off, with a current code or a recovery code',
      security,
      body: secondFactorBody,
      response: { 200: emptyObject, ...authErrors },
    },
    handler: async (request) => {
      await mfa.disableTotp(request.ctx, request.body)
      return {}
    },
  })

  app.post<{ Body: SecondFactorInput & { mfaToken?: string } }>('/api/verifyMfa', {
    // Each guess also costs one of the mfaToken's 5 tries.
    config: { rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['sessions'],
      summary:
        'Complete a sign-in with the mfaToken and a code (or a recovery code); sets the session cookie',
      body: verifyMfaBody,
      response: { 200: loginResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const { token, view } = await mfa.verify(request.body, metaOf(request))
      setSessionCookie(reply, config, token)
      return view
    },
  })

  app.post<{ Body: { requireMfa: boolean } }>('/api/setAccountPolicy', {
    config: { permission: 'account:policy' },
    schema: {
      tags: ['security'],
      summary: 'Require (or stop requiring) a second factor of every member of this account',
      security,
      body: accountPolicyBody,
      response: { 200: accountPolicyResponse, ...authErrors },
    },
    handler: (request) => mfa.setAccountPolicy(request.ctx, request.body.requireMfa),
  })
}
