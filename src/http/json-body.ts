/**
 * JSON bodies as the spec wants them: an empty body is `{}`, a missing body too, anything that is
 * not JSON is 415. A `__proto__` key, or a `constructor` holding a `prototype`, is removed at any
 * depth (secure-json-parse): the spec ignores unknown fields, and these are unknown fields that
 * could otherwise pollute a prototype when merged; the rest of the body is answered as usual.
 */
import type { FastifyInstance } from 'fastify'

export function registerJsonBody(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('remove', 'remove')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    // No fields at all: the most common body (getTeamData, getRoleHierarchy) needs no parser.
    if (text === '{}' || text.trim() === '') return done(null, {})
    void parseJson(request, text, done)
  })
  // A POST with no body at all (curl -X POST) is a request with no fields.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {}
  })
}
