import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors, security } from '../http/schemas.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { clearSessionCookie, metaOf, sessionTokenOf, setSessionCookie } from './session.cookie.ts'
import {
  accountsResponse,
  emptyObject,
  loginBody,
  loginResponse,
  meResponse,
  switchAccountBody,
} from './session.schemas.ts'
import type { SessionService } from './session.service.ts'

export async function sessionRoutes(
  app: FastifyInstance,
  { sessions, config }: { sessions: SessionService; config: Config },
) {
  app.post<{ Body: { email?: unknown; password?: unknown } }>('/api/login', {
    config: { rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 } },
    schema: {
      tags: ['sessions'],
      summary: 'Sign in with email and password; sets the session cookie',
      body: loginBody,
      response: { 200: loginResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const { token, view } = await sessions.login(request.body, metaOf(request))
      setSessionCookie(reply, config, token)
      return view
    },
  })

  app.post('/api/logout', {
    schema: {
      tags: ['sessions'],
      summary: 'Sign out: ends this session',
      body: emptyBody,
      response: { 200: emptyObject, ...authErrors },
    },
    handler: async (request, reply) => {
      await sessions.logout(sessionTokenOf(request), metaOf(request))
      clearSessionCookie(reply, config)
      return {}
    },
  })

  app.post('/api/getAccounts', {
    config: { permission: 'self:read' },
    schema: {
      tags: ['sessions'],
      summary: 'The accounts you belong to, and the current one',
      security,
      body: emptyBody,
      response: { 200: accountsResponse, ...authErrors },
    },
    handler: (request) => sessions.accounts(request.ctx.actor),
  })

  app.post<{ Body: { accountId?: unknown } }>('/api/switchAccount', {
    config: { permission: 'self:switchAccount' },
    schema: {
      tags: ['sessions'],
      summary: "Make another of your accounts this session's current one",
      security,
      body: switchAccountBody,
      response: { 200: accountsResponse, ...authErrors },
    },
    handler: (request) => sessions.switchAccount(request.ctx, request.body.accountId),
  })

  app.post('/api/me', {
    config: { permission: 'self:read' },
    schema: {
      tags: ['sessions'],
      summary: 'Who you are, in which account, with which role',
      security,
      body: emptyBody,
      response: { 200: meResponse, ...authErrors },
    },
    handler: (request) => sessions.me(request.ctx.actor),
  })
}
