/**
 * Single sign-on over HTTP: the ADMIN's configuration calls, `startSso`, and the IdP's two ways
 * back (the OIDC redirect, the SAML POST to the ACS). The way back ends on a page: signed in,
 * or the sign-in page with an error code it shows as a message.
 */
import { signInRateLimit } from '../http/rate-limit.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { authErrors, security } from '../http/schemas.ts'
import { metaOf, setSessionCookie } from '../sessions/session.cookie.ts'
import { emptyBody } from '../team/team.schemas.ts'
import { AppError } from '../shared/app-error.ts'
import type { SsoConfigInput } from './sso-config.input.ts'
import type { SsoConfigService } from './sso-config.service.ts'
import type { SignedIn, SsoSignInService, StartInput } from './sso-signin.service.ts'
import { SsoRefusal } from './sso.errors.ts'
import { ssoConfigBody, ssoConfigView, startSsoBody, startSsoResponse } from './sso.schemas.ts'
import { isRowId } from '../shared/row-id.ts'

/** Ties a flow to the browser that started it (the OIDC callback is a top-level GET: Lax is sent). */
const FLOW_COOKIE = 'roster_sso_state'

export async function ssoRoutes(
  app: FastifyInstance,
  {
    ssoConfig,
    ssoSignIn,
    config,
  }: { ssoConfig: SsoConfigService; ssoSignIn: SsoSignInService; config: Config },
) {
  const secure = config.publicUrl.startsWith('https:')

  app.post('/api/getSsoConfig', {
    config: { permission: 'sso:manage' },
    schema: {
      tags: ['sso'],
      summary: "The account's single sign-on and the values its IdP needs (ADMIN)",
      security,
      body: emptyBody,
      response: { 200: ssoConfigView, ...authErrors },
    },
    handler: (request) => ssoConfig.get(request.ctx),
  })

  app.post<{ Body: SsoConfigInput }>('/api/setSsoConfig', {
    config: { permission: 'sso:manage' },
    schema: {
      tags: ['sso'],
      summary: "Set the account's identity provider, OIDC or SAML (ADMIN)",
      security,
      body: ssoConfigBody,
      response: { 200: ssoConfigView, ...authErrors },
    },
    handler: (request) => ssoConfig.set(request.ctx, request.body),
  })

  app.post('/api/removeSsoConfig', {
    config: { permission: 'sso:manage' },
    schema: {
      tags: ['sso'],
      summary: "Remove the account's single sign-on (ADMIN)",
      security,
      body: emptyBody,
      response: { 200: ssoConfigView, ...authErrors },
    },
    handler: (request) => ssoConfig.remove(request.ctx),
  })

  app.post<{ Body: StartInput }>('/api/startSso', {
    config: { rateLimit: signInRateLimit(config) },
    schema: {
      tags: ['sso'],
      summary: "Start signing in with the email's organisation's identity provider",
      body: startSsoBody,
      response: { 200: startSsoResponse, ...authErrors },
    },
    handler: async (request, reply) => {
      const started = await ssoSignIn.start(request.body, metaOf(request))
      if (!('redirectUrl' in started)) return started
      reply.setCookie(FLOW_COOKIE, started.state, {
        path: '/sso',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: 600,
      })
      return { redirectUrl: started.redirectUrl }
    },
  })

  /** Signed in: the session cookie and the app; refused: the sign-in page names why. */
  async function land(request: FastifyRequest, reply: FastifyReply, finish: () => Promise<SignedIn>) {
    reply.clearCookie(FLOW_COOKIE, { path: '/sso', httpOnly: true, sameSite: 'lax', secure })
    try {
      const { token, returnTo } = await finish()
      setSessionCookie(reply, config, token)
      // Back in the application's sign-in step when the flow came from one (checked at start).
      return reply.redirect(returnTo ?? '/', 303)
    } catch (error) {
      if (!(error instanceof AppError)) request.log.error({ err: error }, 'single sign-on failed')
      const code = error instanceof AppError ? error.code : 'SSO_FAILED'
      // Refused on the way to an application: the sign-in page keeps its step (`return`).
      const back = error instanceof SsoRefusal ? `&return=${encodeURIComponent(error.returnTo)}` : ''
      return reply.redirect(`/login?ssoError=${encodeURIComponent(code)}${back}`, 303)
    }
  }

  app.get('/sso/oidc/callback', {
    schema: { tags: ['sso'], summary: "OIDC redirect URI: the IdP's answer comes back here", hide: true },
    handler: (request, reply) =>
      land(request, reply, () =>
        ssoSignIn.finishOidc(
          new URL(request.url, config.publicUrl),
          request.cookies?.[FLOW_COOKIE],
          metaOf(request),
        ),
      ),
  })

  app.get<{ Params: { accountId: string } }>('/sso/saml/:accountId/metadata', {
    schema: {
      tags: ['sso'],
      summary: "Roster's SAML service provider metadata for this account",
      hide: true,
    },
    handler: async (request, reply) => {
      const accountId = /^\d{1,9}$/.test(request.params.accountId) ? Number(request.params.accountId) : NaN
      const metadata = isRowId(accountId) ? await ssoSignIn.metadata(accountId) : undefined
      if (metadata === undefined) throw new AppError('NOT_FOUND', 'Not found.')
      return reply.header('content-type', 'application/samlmetadata+xml; charset=utf-8').send(metadata)
    },
  })

  // The IdP's page posts a form here: parsed only on this route.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(
        null,
        Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))),
      )
    },
  )

  app.post<{ Params: { accountId: string }; Body: Record<string, unknown> }>('/sso/saml/:accountId/acs', {
    // Posted by a page of the IdP's origin, by design.
    config: { crossSite: true },
    schema: { tags: ['sso'], summary: 'SAML Assertion Consumer Service (HTTP-POST binding)', hide: true },
    handler: (request, reply) =>
      land(request, reply, () => {
        const accountId = /^\d{1,9}$/.test(request.params.accountId) ? Number(request.params.accountId) : NaN
        return ssoSignIn.finishSaml(accountId, request.body ?? {}, metaOf(request))
      }),
  })
}
