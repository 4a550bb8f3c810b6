/**
 * Errors Node's HTTP server answers before Fastify sees a request: the parser's (a malformed
 * request 400, headers too large 431, a request too slow to arrive 408) and an Expect header
 * other than 100-continue (417). They keep their statuses and get the spec's error shape like
 * every other answer. The parser's come before the path is known, so they get it on every path.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { errorBody, statusOf } from './error-status.ts'

const PARSER_ERRORS: Readonly<Record<string, [code: string, message: string]>> = {
  HPE_HEADER_OVERFLOW: ['HEADERS_TOO_LARGE', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: ['REQUEST_TIMEOUT', 'The request took too long to arrive.'],
}

function answer(code: string, message: string) {
  const status = statusOf(code)
  return { status, body: JSON.stringify(errorBody(code, message)) }
}

/** Fastify's `clientErrorHandler` option: Fastify's own default, with the spec's body. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [code, message] = PARSER_ERRORS[error.code ?? ''] ?? [
    'BAD_REQUEST',
    'The request could not be understood.',
  ]
  const { status, body } = answer(code, message)
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

/** Node answers an unmet Expect with a bare 417 unless someone listens for it: we do. */
export function registerExpectationFailed(app: FastifyInstance): void {
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const { status, body } = answer('EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported.')
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    })
    response.end(body)
  })
}
