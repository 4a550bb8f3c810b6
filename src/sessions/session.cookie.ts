import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import type { RequestMeta } from '../shared/actor.ts'
import { SESSION_COOKIE } from './session.token.ts'

/** HttpOnly (no script reads it), SameSite=Lax, Secure whenever Roster is served over https. */
function cookieOptions(config: Config) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
  } as const
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string) {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(config), maxAge: config.sessionMaxSeconds })
}

export function clearSessionCookie(reply: FastifyReply, config: Config) {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config))
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE]
}

/** Where a request comes from, for the audit log, before anyone is authenticated. */
export function metaOf(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers['user-agent']
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null }
}
