/**
 * The SCIM 2.0 edge under /scim/v2, as its own Fastify context: its own body parsers
 * (application/scim+json and application/json), bearer-token authentication as the system actor
 * `scim`, and SCIM error bodies for every failure (401, 404, malformed JSON, …). The /api/*
 * conventions (Akto error shape, X-API-KEY, POST-only) do not apply here.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { statusOf } from '../http/error-status.ts'
import { AppError } from '../shared/app-error.ts'
import type { SystemContext } from '../shared/actor.ts'
import type { Engine } from '../db/engine.ts'
import type { ScimTokenService } from './scim-token.service.ts'
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from './scim-discovery.ts'
import { parseGroupFilter, parseUserFilter, type ScimFilter } from './scim-filter.ts'
import { parsePatchBody } from './scim-patch.ts'
import { projector } from './scim-attributes.ts'
import { routeMethods } from './scim-methods.ts'
import { groupResource, parseGroupBody } from './scim-group.resource.ts'
import { parseUserBody, userResource, version } from './scim-user.resource.ts'
import { fromDomainError, scimError, scimErrorBody } from './scim.errors.ts'
import { pageOf, type GroupFilter, type ScimService } from './scim.service.ts'

const SCIM_TYPE = 'application/scim+json; charset=utf-8'
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE'])

declare module 'fastify' {
  interface FastifyRequest {
    scim: SystemContext
  }
}

type Query = Record<string, string | undefined>
type Req = FastifyRequest<{ Params: { id: string }; Querystring: Query }>

function send(reply: FastifyReply, status: number, body: unknown, etag?: string) {
  if (etag) reply.header('etag', etag)
  return reply.status(status).type(SCIM_TYPE).send(body)
}

/**
 * A conditional GET (RFC 7644 §3.14): 304 with the ETag and no body when If-None-Match names the
 * resource's current version (weak comparison, as our ETags are weak) or is `*`.
 */
function sendUnlessCurrent(request: FastifyRequest, reply: FastifyReply, body: unknown, etag: string) {
  const header = request.headers['if-none-match']
  const tags = (header ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''))
  if (header !== undefined && (tags.includes('*') || tags.includes(etag.replace(/^W\//, ''))))
    return reply.status(304).header('etag', etag).send()
  return send(reply, 200, body, etag)
}

/** If-Match: a weak or strong ETag of ours, or `*`; anything else can never match. */
function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '*') return undefined
  const m = /^(?:W\/)?"(\d{1,15})"$/.exec(header.trim())
  if (!m) throw scimError(412, undefined, 'If-Match names no current version of this resource.')
  return Number(m[1])
}

function errorFor(error: FastifyError, engine: Engine, request: FastifyRequest) {
  if (error instanceof AppError) {
    const known = fromDomainError(error)
    if (known) return known
    const status = statusOf(error.code)
    if (status < 500 || status === 503)
      return scimError(status === 422 ? 400 : status, undefined, error.message)
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return scimError(400, 'invalidSyntax', 'The request body is not valid JSON.')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return scimError(415, undefined, 'Content-Type must be application/scim+json or application/json.')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return scimError(413, undefined, 'The request body is larger than 1 MiB.')
  }
  if (engine.isUnavailable(error))
    return scimError(503, undefined, 'The database is unavailable; try again shortly.')
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return scimError(error.statusCode === 429 ? 429 : 400, undefined, 'The request could not be understood.')
  }
  request.log.error({ err: error }, 'unexpected SCIM error')
  return scimError(500, undefined, 'Internal error.')
}

export async function scimRoutes(
  app: FastifyInstance,
  opts: { scim: ScimService; tokens: ScimTokenService; baseUrl: string; engine: Engine },
) {
  const { scim, tokens, baseUrl, engine } = opts

  app.removeAllContentTypeParsers()
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser(
    ['application/scim+json', 'application/json'],
    { parseAs: 'string' },
    (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      // Some clients send Content-Type on every request: an empty body where none is taken is no body.
      if (text === '' && BODILESS_METHODS.has(request.method)) {
        done(null, undefined)
        return
      }
      void parseJson(request, text, done)
    },
  )

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const e = errorFor(error, engine, request)
    if (e.status === 401) reply.header('www-authenticate', 'Bearer realm="scim"')
    return send(reply, e.status, scimErrorBody(e.status, e.scimType, e.message))
  })
  const methodsOf = routeMethods(app)
  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsOf(request.url)
    if (allowed.length === 0) return send(reply, 404, scimErrorBody(404, undefined, 'No such SCIM endpoint.'))
    reply.header('allow', allowed.join(', '))
    const detail = `${request.method} is not allowed here; this endpoint takes ${allowed.join(', ')}.`
    return send(reply, 405, scimErrorBody(405, undefined, detail))
  })

  app.decorateRequest('scim', null as unknown as SystemContext)
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
    const userAgent = request.headers['user-agent']
    const ctx = match?.[1]
      ? await tokens.authenticate(match[1], { ip: request.ip ?? null, userAgent: userAgent ?? null })
      : undefined
    if (!ctx) throw scimError(401, undefined, 'A valid SCIM bearer token is required.')
    request.scim = ctx
  })

  const hide = { hide: true }

  app.get('/ServiceProviderConfig', { schema: hide }, async (_r, reply) =>
    send(reply, 200, serviceProviderConfig(baseUrl)),
  )
  app.get('/ResourceTypes', { schema: hide }, async (_r, reply) => {
    const all = resourceTypes(baseUrl)
    return send(reply, 200, listResponse(all, all.length, 1))
  })
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', { schema: hide }, async (r, reply) => {
    const found = resourceTypes(baseUrl).find((t) => t.id === r.params.id)
    if (!found) throw scimError(404, undefined, `Resource type '${r.params.id}' not found.`)
    return send(reply, 200, found)
  })
  app.get('/Schemas', { schema: hide }, async (_r, reply) => {
    const all = schemas(baseUrl)
    return send(reply, 200, listResponse(all, all.length, 1))
  })
  app.get<{ Params: { id: string } }>('/Schemas/:id', { schema: hide }, async (r, reply) => {
    const found = schemas(baseUrl).find((s) => s.id === r.params.id)
    if (!found) throw scimError(404, undefined, `Schema '${r.params.id}' not found.`)
    return send(reply, 200, found)
  })

  // Users
  app.get('/Users', { schema: hide }, async (r: Req, reply) => {
    const q = r.query
    const filter: ScimFilter | null = q.filter ? parseUserFilter(q.filter) : null
    const page = pageOf(q)
    const project = projector(q)
    const { rows, total } = await scim.listUsers(r.scim, filter, page)
    return send(
      reply,
      200,
      listResponse(
        rows.map((row) => project(userResource(row, baseUrl))),
        total,
        page.startIndex,
      ),
    )
  })
  app.get('/Users/:id', { schema: hide }, async (r: Req, reply) => {
    const row = await scim.user(r.scim, r.params.id)
    return sendUnlessCurrent(r, reply, projector(r.query)(userResource(row, baseUrl)), version(row))
  })
  app.post('/Users', { schema: hide }, async (r: Req, reply) => {
    const row = await scim.createUser(r.scim, parseUserBody(r.body))
    const resource = userResource(row, baseUrl)
    reply.header('location', resource.meta.location)
    return send(reply, 201, resource, version(row))
  })
  app.put('/Users/:id', { schema: hide }, async (r: Req, reply) => {
    const row = await scim.replaceUser(r.scim, r.params.id, parseUserBody(r.body), ifMatch(r))
    return send(reply, 200, userResource(row, baseUrl), version(row))
  })
  app.patch('/Users/:id', { schema: hide }, async (r: Req, reply) => {
    const row = await scim.patchUser(r.scim, r.params.id, parsePatchBody(r.body), ifMatch(r))
    return send(reply, 200, userResource(row, baseUrl), version(row))
  })
  app.delete('/Users/:id', { schema: hide }, async (r: Req, reply) => {
    await scim.deleteUser(r.scim, r.params.id, ifMatch(r))
    return reply.status(204).send()
  })

  // Groups
  const groupBody = async (r: Req, name: string, withMembers: boolean) => {
    const role = await scim.group(r.scim, name)
    return groupResource(role, withMembers ? await scim.groupMembers(r.scim, role.name) : undefined, baseUrl)
  }
  const wantsMembers = (q: Query) => {
    const excluded = (q.excludedAttributes ?? '')
      .toLowerCase()
      .split(',')
      .map((s) => s.trim())
    const included = q.attributes
      ?.toLowerCase()
      .split(',')
      .map((s) => s.trim())
    return !excluded.includes('members') && (!included || included.includes('members'))
  }
  app.get('/Groups', { schema: hide }, async (r: Req, reply) => {
    const q = r.query
    let filter: GroupFilter | undefined
    if (q.filter) {
      const f = parseGroupFilter(q.filter)
      if (
        !('attr' in f) ||
        f.op !== 'eq' ||
        typeof f.value !== 'string' ||
        (f.attr !== 'displayName' && f.attr !== 'id')
      ) {
        throw scimError(400, 'invalidFilter', 'Groups can be filtered by displayName eq or id eq.')
      }
      filter = { attr: f.attr, value: f.value }
    }
    const page = pageOf(q)
    const { rows, total } = await scim.listGroups(r.scim, filter, page)
    const project = projector(q)
    const resources = await Promise.all(
      rows.map(async (role) => project(await groupBody(r, role.name, wantsMembers(q)))),
    )
    return send(reply, 200, listResponse(resources, total, page.startIndex))
  })
  app.get('/Groups/:id', { schema: hide }, async (r: Req, reply) => {
    const resource = await groupBody(r, r.params.id, wantsMembers(r.query))
    return sendUnlessCurrent(r, reply, projector(r.query)(resource), resource.meta.version)
  })
  app.patch('/Groups/:id', { schema: hide }, async (r: Req, reply) => {
    await scim.patchGroup(r.scim, r.params.id, parsePatchBody(r.body), ifMatch(r))
    return reply.status(204).send()
  })
  // Roles are managed in Roster: POST links to an existing custom role, DELETE removes an unused one.
  app.post('/Groups', { schema: hide }, async (r: Req, reply) => {
    const role = await scim.linkGroup(r.scim, parseGroupBody(r.body))
    const resource = await groupBody(r, role.name, true)
    reply.header('location', resource.meta.location)
    return send(reply, 201, resource, resource.meta.version)
  })
  app.put('/Groups/:id', { schema: hide }, async () => {
    throw scim.rolesInRoster()
  })
  app.delete('/Groups/:id', { schema: hide }, async (r: Req, reply) => {
    await scim.deleteGroup(r.scim, r.params.id, ifMatch(r))
    return reply.status(204).send()
  })
}
