import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors, security } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import { emptyObject, loginResponse } from '../sessions/session.schemas.ts'
import {
  changePasswordBody,
  changePasswordResponse,
  requestResetBody,
  resetPasswordBody,
} from './password-reset.schemas.ts'
import type { PasswordResetService } from './password-reset.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

export async function passwordResetRoutes(
  app: FastifyInstance,
  { passwordReset, config }: { passwordReset: PasswordResetService; config: Config },
) {
  // Per client address, like sign-in; per email, one link a minute (in the service).
  const perAddress = { rateLimit: signInRateLimit(config) }

  app.post<{ Body: { email?: string } }>('/api/requestPasswordReset', {
    config: perAddress,
    schema: {
      tags: ['sessions'],
      summary: 'Email a password-reset link; the answer is the same whether or not the email is registered',
      body: requestResetBody,
      response: { 200: emptyObject, ...authErrors },
    },
    handler: (request) => passwordReset.request(request.body, metaOf(request)),
  })

  app.post<{ Body: { token?: string; password?: string } }>('/api/resetPassword', {
    config: perAddress,
    schema: {
      tags: ['sessions'],
      summary: 'Set a new password with an emailed link; ends every session of the user and signs in afresh',
      body: resetPasswordBody,
      response: { 200: loginResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const result = await passwordReset.reset(request.body, metaOf(request))
      if ('mfa' in result) return result.mfa
      setSessionCookie(reply, config, result.token)
      return result.view
    },
  })

  app.post<{ Body: { currentPassword?: string; newPassword?: string } }>('/api/changePassword', {
    config: { permission: 'self:security', ...perAddress },
    schema: {
      tags: ['sessions'],
      summary: 'Change your password; your other sessions end',
      security,
      body: changePasswordBody,
      response: { 200: changePasswordResponse, ...authErrors },
    },
    handler: (request) => passwordReset.change(request.ctx, request.body),
  })
}
