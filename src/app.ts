/**
 * The app factory: builds the whole HTTP service without listening. Tests, the CLI and server.ts
 * all start here.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import pino, { type Logger } from 'pino'
import { apiKeyRoutes } from './api-keys/api-key.routes.ts'
import { aktoAuditRoutes } from './audit/akto-audit.routes.ts'
import { auditRoutes } from './audit/audit.routes.ts'
import { apiKeyAuthenticator, registerAuthentication, sessionAuthenticator } from './auth/authenticate.ts'
import { createFailureLimiter } from './auth/failure-limiter.ts'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle } from './db/engine.ts'
import { migrateToLatest } from './db/migrate.ts'
import { errorAnswerer, registerErrorHandling } from './http/error-handler.ts'
import { healthRoutes } from './http/health.routes.ts'
import { registerJsonBody } from './http/json-body.ts'
import { registerSecurityHeaders } from './http/security-headers.ts'
import { clientErrorHandler, registerExpectationFailed } from './http/transport-errors.ts'
import { registerRateLimit } from './http/rate-limit.ts'
import { createMetrics } from './metrics/metrics.ts'
import { metricsRoutes, registerHttpMetrics } from './metrics/metrics.routes.ts'
import { errorSchema } from './http/schemas.ts'
import { acceptanceRoutes } from './invitations/acceptance.routes.ts'
import { invitationRoutes } from './invitations/invitation.routes.ts'
import { mfaRoutes } from './mfa/mfa.routes.ts'
import { passkeyRoutes } from './passkeys/passkey.routes.ts'
import { passwordResetRoutes } from './password-reset/password-reset.routes.ts'
import { bulkInvitationRoutes } from './invitations/bulk-invitation.routes.ts'
import { customRoleRoutes } from './roles/custom-role.routes.ts'
import { oidcClientRoutes } from './oidc/oidc-client.routes.ts'
import { oidcRoutes } from './oidc/oidc.routes.ts'
import { createServices, type Services } from './services.ts'
import { sessionRoutes } from './sessions/session.routes.ts'
import { setupRoutes } from './setup/setup.routes.ts'
import { aktoSsoRoutes } from './sso/akto-sso.routes.ts'
import { ssoRoutes } from './sso/sso.routes.ts'
import { scimRoutes } from './scim/scim.routes.ts'
import { scimTokenRoutes } from './scim/scim-token.routes.ts'
import type { Clock, Deps } from './shared/deps.ts'
import { memberPasswordResetRoutes } from './team/member-password-reset.routes.ts'
import { teamRoutes } from './team/team.routes.ts'
import { teamListingRoutes } from './team/team-listing.routes.ts'
import { webRoutes } from './web/web.routes.ts'
import { webhookRoutes } from './webhooks/webhook.routes.ts'

export interface AppOptions {
  /** An open database; when absent the app opens `config.databaseUrl` and closes it on close. */
  database?: DatabaseHandle
  clock?: Clock
  logger?: Logger
  /** Run migrations on build (default true). */
  migrate?: boolean
  /** Run the mail outbox worker in this process (server.ts does; tests drive it themselves). */
  mailWorker?: boolean
  /** Run the webhook delivery worker in this process (server.ts does). */
  webhookWorker?: boolean
}

export interface App {
  readonly server: FastifyInstance
  readonly services: Services
  readonly deps: Deps
}

const BODY_LIMIT = 1024 * 1024

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    // Credentials never reach the log.
    redact: ['req.headers["x-api-key"]', 'req.headers.cookie', 'req.headers.authorization', '*.password'],
  })
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const database =
    options.database ??
    openDatabase(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      checkpointInThread: true,
    })
  const log = options.logger ?? createLogger(config)
  const clock = options.clock ?? Date.now
  const metricsOn = config.metricsToken !== null || config.metricsPort !== null
  const metrics = metricsOn ? createMetrics({ config, database, clock }) : undefined
  const deps: Deps = { config, database, clock, log, ...(metrics ? { metrics } : {}) }
  if (options.migrate ?? true) await migrateToLatest(database.db)
  const services = await createServices(deps)

  // Errors met before a route (a path that is no URL, the HTTP parser's) get the spec's shape too.
  const answerError = errorAnswerer(database.engine)
  const server: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    frameworkErrors: answerError,
    clientErrorHandler,
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true },
    // `example` documents schemas in the OpenAPI output; validation ignores it.
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        allErrors: false,
        keywords: ['example'],
        allowUnionTypes: true,
      },
    },
  })
  server.addSchema(errorSchema)
  registerErrorHandling(server, answerError)
  registerExpectationFailed(server)
  if (metrics) registerHttpMetrics(server, metrics)
  registerJsonBody(server)
  registerSecurityHeaders(server, config.allowedOrigins)
  // Cookies are parsed in an onRequest hook that must run before authentication's.
  await server.register(cookie)
  // Before authentication: a flood of requests is throttled without touching the database.
  await registerRateLimit(server, config)
  const failures = createFailureLimiter({ ...config.authFailures, clock: deps.clock })
  registerAuthentication(
    server,
    [
      apiKeyAuthenticator(services.apiKeys, failures),
      sessionAuthenticator(services.sessions, config.allowedOrigins),
    ],
    config.allowedOrigins,
  )

  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Roster',
        description: "Team and access management, wire-compatible with Akto's User Management API.",
        version: '0.1.0',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
          session: { type: 'apiKey', in: 'cookie', name: 'roster_session' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  })
  await server.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Served over plain http on localhost too, where upgrading requests would break the page.
    transformStaticCSP: (header) => header.replace('upgrade-insecure-requests;', ''),
  })
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger())

  await server.register(healthRoutes, { database })
  // With only METRICS_PORT, /metrics is served by server.ts on that port, not here.
  if (metrics && config.metricsToken !== null)
    await server.register(metricsRoutes, { metrics, token: config.metricsToken })
  await server.register(teamRoutes, { team: services.team })
  await server.register(teamListingRoutes, { listing: services.teamListing })
  await server.register(invitationRoutes, { invitations: services.invitations })
  await server.register(bulkInvitationRoutes, { bulk: services.bulkInvitations })
  await server.register(customRoleRoutes, { customRoles: services.customRoles })
  await server.register(apiKeyRoutes, { apiKeys: services.apiKeys })
  await server.register(auditRoutes, { audit: services.audit })
  await server.register(webhookRoutes, { webhooks: services.webhooks })
  await server.register(aktoAuditRoutes, { aktoAudit: services.aktoAudit })
  await server.register(memberPasswordResetRoutes, { resets: services.memberPasswordResets })
  await server.register(sessionRoutes, { sessions: services.sessions, config })
  await server.register(acceptanceRoutes, { acceptance: services.acceptance, config })
  await server.register(setupRoutes, { setup: services.setup, config })
  await server.register(ssoRoutes, { ssoConfig: services.ssoConfig, ssoSignIn: services.ssoSignIn, config })
  await server.register(aktoSsoRoutes, { aktoSso: services.aktoSso })
  await server.register(passwordResetRoutes, { passwordReset: services.passwordReset, config })
  await server.register(mfaRoutes, { mfa: services.mfa, config })
  await server.register(passkeyRoutes, { passkeys: services.passkeys, config })
  await server.register(scimTokenRoutes, { scimTokens: services.scimTokens })
  // Its own context: SCIM's body parsers, bearer tokens and error bodies stay under /scim/v2.
  await server.register(scimRoutes, {
    prefix: '/scim/v2',
    scim: services.scim,
    tokens: services.scimTokens,
    baseUrl: `${config.publicUrl}/scim/v2`,
    engine: database.engine,
  })
  await server.register(oidcClientRoutes, { oidcClients: services.oidcClients })
  await server.register(oidcRoutes, {
    oidc: services.oidc,
    sessions: services.sessions,
    config,
    db: database.db,
  })
  await server.register(webRoutes, { webDir: config.webDir })

  if (options.mailWorker) services.outbox.start()
  if (options.webhookWorker) services.webhookDeliveries.start()
  // Before onClose (which may close the database): let a delivery pass in progress finish.
  server.addHook('preClose', async () => {
    await Promise.all([services.outbox.stop(), services.webhookDeliveries.stop()])
  })
  if (!options.database) server.addHook('onClose', async () => database.close())
  return { server, services, deps }
}
