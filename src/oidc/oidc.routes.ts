/**
 * oidc-provider mounted in Fastify: every /oidc/* request and discovery go to the provider,
 * untouched by the JSON-only body parser, the /api rate limit and the same-origin rule (its
 * endpoints answer other sites and servers by design, in OAuth's own error format). The one
 * route Roster answers itself is the interaction: it signs the person in with Roster's session.
 */
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import type { Database } from '../db/schema.ts'
import type { Kysely } from 'kysely'
import { isForeignOrigin } from '../sessions/same-origin.ts'
import { metaOf, sessionTokenOf } from '../sessions/session.cookie.ts'
import type { SessionService } from '../sessions/session.service.ts'
import { SESSION_COOKIE } from '../sessions/session.token.ts'
import { clientRequest } from './oidc-adapter.ts'
import { checkedClientSecret } from './oidc-client-auth.ts'
import { finishInteraction } from './oidc-interaction.ts'
import type { OidcService } from './oidc.service.ts'

const FORM_LIMIT = 56 * 1024

interface Options {
  oidc: OidcService
  sessions: SessionService
  config: Config
  db: Kysely<Database>
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description })
}

/**
 * Endpoints OpenID Connect defines for GET and POST alike (authorization, Core §3.1.2.1; logout,
 * RP-Initiated Logout §2). oidc-provider serves POST there only with its session cookie set to
 * SameSite=None, which browsers drop unless Secure (so never on a plain-http issuer); a form POST
 * is therefore handed to it as the GET with the same parameters.
 */
const GET_OR_POST = new Set(['/oidc/auth', '/oidc/session/end'])
const FORM = 'application/x-www-form-urlencoded'

/** Endpoints where an application authenticates itself (a deleted one too: see oidc-adapter.ts). */
const CLIENT_AUTHENTICATING = new Set(['/oidc/token', '/oidc/token/introspection', '/oidc/token/revocation'])

function asGet(raw: IncomingMessage & { body?: unknown }, path: string, form: string) {
  raw.method = 'GET'
  raw.url = form ? `${path}?${form}` : path
  raw.body = ''
  delete raw.headers['content-type']
  delete raw.headers['content-length']
}

export async function oidcRoutes(app: FastifyInstance, { oidc, sessions, config, db }: Options) {
  // Bodies reach the provider as text; it parses forms itself.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) =>
    done(null, body),
  )
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'oidc edge error')
    return oauthError(
      reply,
      status === 500 ? 500 : 400,
      status === 500 ? 'server_error' : 'invalid_request',
      status === 500 ? 'Internal error.' : 'The request could not be read.',
    )
  })

  const issuer = new URL(config.publicUrl)

  /** Ends Roster's own session when the person confirms signing out (RP-initiated logout). */
  async function endRosterSession(request: FastifyRequest, reply: FastifyReply) {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '')
    if (form.get('logout') !== 'yes' || isForeignOrigin(request, config.allowedOrigins)) return
    await sessions.logout(sessionTokenOf(request), metaOf(request))
    reply.raw.setHeader(
      'set-cookie',
      app.serializeCookie(SESSION_COOKIE, '', {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.publicUrl.startsWith('https:'),
        expires: new Date(0),
      }),
    )
  }

  /** Userinfo and introspection of a JWT access token the provider cannot look up (oidc-jwt-access.ts). */
  async function jwtAccessAnswer(request: FastifyRequest, checkedClientId: string | undefined) {
    const path = request.url.split('?')[0]
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '')
    if (path === '/oidc/me') {
      const auth = request.headers.authorization
      const bearer = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined
      return oidc.jwtAccess.userinfo(bearer ?? form.get('access_token') ?? undefined)
    }
    if (path === '/oidc/token/introspection' && request.method === 'POST' && checkedClientId)
      return oidc.jwtAccess.introspect(form.get('token') ?? undefined, checkedClientId)
    return undefined
  }

  async function toProvider(request: FastifyRequest, reply: FastifyReply) {
    const provider = await oidc.provider()
    const raw = request.raw as IncomingMessage & { body?: unknown }
    raw.body = request.body ?? ''
    if (request.method === 'POST' && GET_OR_POST.has(request.url.split('?')[0]!)) {
      if (!request.headers['content-type']?.startsWith(FORM))
        return oauthError(reply, 400, 'invalid_request', `Only ${FORM} bodies are accepted here.`)
      asGet(raw, request.url.split('?')[0]!, typeof request.body === 'string' ? request.body : '')
    }
    // Endpoint URLs are built from the issuer, never from a client-supplied Host.
    raw.headers.host = issuer.host
    raw.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1)
    delete raw.headers['x-forwarded-host']
    const auth = request.headers.authorization
    const checked = await checkedClientSecret(db, typeof auth === 'string' ? auth : undefined, request.body)
    const answer = await jwtAccessAnswer(request, checked?.clientId)
    if (answer) return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer)
    if (request.method === 'POST' && request.url.startsWith('/oidc/session/end/confirm'))
      await endRosterSession(request, reply)
    reply.hijack()
    reply.raw.setHeader('x-content-type-options', 'nosniff')
    reply.raw.setHeader('x-frame-options', 'DENY')
    const handle = provider.callback()
    const authenticating = request.method === 'POST' && CLIENT_AUTHENTICATING.has(request.url.split('?')[0]!)
    await clientRequest.run({ authenticating, ...(checked ? { checked } : {}) }, () => handle(raw, reply.raw))
  }

  const config_ = { crossSite: true } as const
  app.get('/.well-known/openid-configuration', { config: config_, schema: { hide: true } }, toProvider)
  app.route({
    method: ['GET', 'POST'],
    url: '/oidc/*',
    config: config_,
    schema: { hide: true },
    handler: toProvider,
  })

  app.get<{ Params: { uid: string } }>(
    '/oidc/interaction/:uid',
    { config: config_, schema: { hide: true } },
    async (request, reply) =>
      finishInteraction({ provider: await oidc.provider(), oidc, sessions, request, reply }),
  )
}
