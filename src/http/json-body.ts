/**
 * JSON bodies as the spec wants them: an empty body is `{}`, a missing body too, anything that is
 * not JSON is 415, and parsing keeps Fastify's prototype-poisoning protection.
 */
import type { FastifyInstance } from 'fastify'

export function registerJsonBody(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error')
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
