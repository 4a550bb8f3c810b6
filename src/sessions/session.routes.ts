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
  revokeOthersResponse,
  revokeSessionBody,
  sessionsResponse,
  switchAccountBody,
} from './session.schemas.ts'
import type { SessionService } from './session.service.ts'
import { signInRateLimit } from '../http/rate-limit.ts'

export async function sessionRoutes(
  app: FastifyInstance,
  { sessions, config }: { sessions: SessionService; config: Config },
) {
  app.post<{ Body: { email?: unknown; password?: unknown } }>('/api/login', {
    config: { rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['sessions'],
      summary: 'Sign in with email and password; sets the session cookie',
      body: loginBody,
      response: { 200: loginResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const result = await sessions.login(request.body, metaOf(request))
      if ('mfa' in result) return result.mfa
      setSessionCookie(reply, config, result.token)
      return result.view
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

  app.post('/api/fetchSessions', {
    config: { permission: 'self:security' },
    schema: {
      tags: ['sessions'],
      summary: 'Your active sessions in every account (browser, address, when), this one marked',
      security,
      body: emptyBody,
      response: { 200: sessionsResponse, ...authErrors },
    },
    handler: (request) => sessions.list(request.ctx.actor),
  })

  app.post<{ Body: { id: number } }>('/api/revokeSession', {
    config: { permission: 'self:security' },
    schema: {
      tags: ['sessions'],
      summary: 'End one of your sessions',
      security,
      body: revokeSessionBody,
      response: { 200: emptyObject, ...authErrors },
    },
    handler: async (request) => {
      await sessions.revoke(request.ctx, request.body.id)
      return {}
    },
  })

  app.post('/api/revokeOtherSessions', {
    config: { permission: 'self:security' },
    schema: {
      tags: ['sessions'],
      summary: 'End every session of yours but this one',
      security,
      body: emptyBody,
      response: { 200: revokeOthersResponse, ...authErrors },
    },
    handler: (request) => sessions.revokeOthers(request.ctx),
  })
}
