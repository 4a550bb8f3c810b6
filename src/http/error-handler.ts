/**
 * Every failure leaves through here, in the spec's error shape. Client mistakes get a 4xx with a
 * clear message; unexpected errors are logged and answered without their text.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Engine } from '../db/engine.ts'
import { AppError } from '../shared/app-error.ts'
import { commonError } from '../shared/errors.ts'
import { errorBody, statusOf } from './error-status.ts'

// Fastify's own client errors, with messages a client can act on.
const FASTIFY_CODES: Record<string, [code: string, message: string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'Content-Length does not match the body.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'The request body is larger than 1 MiB.'],
  FST_ERR_CTP_INVALID_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json.'],
  // Raised before routing (the `frameworkErrors` option), with the statuses Fastify gives them.
  FST_ERR_BAD_URL: ['BAD_REQUEST', 'The request path is not a valid URL.'],
  FST_ERR_MAX_PARAM_LENGTH: ['URL_TOO_LONG', 'The request path is too long.'],
}

function send(reply: FastifyReply, error: AppError) {
  const status = statusOf(error.code)
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
  if (status === 503 || status === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? '5')
  return reply.status(status).send(errorBody(error.code, error.message))
}

/** A schema failure on a field becomes that field's domain error (e.g. `Invalid email`). */
function fromValidation(request: FastifyRequest, error: FastifyError): AppError {
  return errorOfValidation(
    error.validation ?? [],
    request.routeOptions.config.fieldErrors ?? {},
    request.body,
  )
}

/**
 * The same for a value checked apart (a row of a bulk request): the first issue on a field with
 * a domain error of its own gives that error, anything else a 422 naming where and what.
 */
export function errorOfValidation(
  issues: readonly { instancePath: string; message?: string; params: Record<string, unknown> }[],
  fieldErrors: Record<string, () => AppError>,
  value: unknown,
): AppError {
  for (const issue of issues) {
    const field =
      issue.instancePath.split('/')[1] ?? (issue.params as { missingProperty?: string }).missingProperty
    const make = field ? fieldErrors[field] : undefined
    if (make) return make()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return commonError('INVALID_BODY')
  const first = issues[0]
  const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : 'body'
  return new AppError('INVALID_REQUEST', `Invalid request: ${where} ${first?.message ?? 'is invalid'}.`)
}

/**
 * The one answer to an error, for the app's error handler and for Fastify's `frameworkErrors`
 * option (errors met before routing, such as a path that is not a valid URL).
 */
export function errorAnswerer(engine: Engine) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return send(reply, error)
    if (error.validation) return send(reply, fromValidation(request, error))
    const known = error.code ? FASTIFY_CODES[error.code] : undefined
    if (known) return send(reply, new AppError(known[0], known[1]))
    if (error.statusCode === 429)
      return send(reply, new AppError('RATE_LIMITED', 'Too many requests; try again later.'))
    if (engine.isUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable')
      return send(reply, commonError('DATABASE_UNAVAILABLE'))
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, new AppError('BAD_REQUEST', 'The request could not be understood.'))
    }
    request.log.error({ err: error }, 'unexpected error')
    return send(reply, new AppError('INTERNAL', 'Internal error.'))
  }
}

export function registerErrorHandling(app: FastifyInstance, answer: ReturnType<typeof errorAnswerer>) {
  app.setErrorHandler(answer)

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const other = (['GET', 'POST'] as const).filter(
      (method) => method !== request.method && app.hasRoute({ method, url: path }),
    )
    if (other.length > 0) {
      reply.header('allow', other.join(', '))
      return send(
        reply,
        new AppError(
          'METHOD_NOT_ALLOWED',
          `Method ${request.method} is not allowed here; use ${other.join(' or ')}.`,
        ),
      )
    }
    return send(reply, new AppError('NOT_FOUND', 'Not found.'))
  })
}
