/**
 * One delivery attempt over HTTP, bounded: it connects to the address that was checked (never
 * resolving the name again), follows no redirect, reads at most 4 KB of the answer, and gives up
 * after the timeout whatever the receiver does. Attempts of one run to one endpoint share a
 * keep-alive agent (`runAgent`): a connection is reused only after an answer was read whole.
 */
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Target } from './webhook.address.ts'

export const RESPONSE_LIMIT = 4096

export interface HttpResult {
  readonly statusCode: number | null
  readonly response: string | null
  readonly error: string | null
}

/** One connection kept open across the attempts of a run to one endpoint; destroy() it after. */
export function runAgent(target: Target): http.Agent {
  const options = { keepAlive: true, maxSockets: 1 }
  return target.url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options)
}

export function postJson(
  target: Target,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  agent: http.Agent,
): Promise<HttpResult> {
  const { url, address, family } = target
  // The checked address, whatever the resolver would answer now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ])
    else callback(null, address, family)
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<HttpResult>((resolve) => {
    let done = false
    // The connection is kept (for the run's next attempt) only when the answer was read to its end.
    const finish = (result: HttpResult, readWhole = false) => {
      if (done) return
      done = true
      clearTimeout(timer)
      if (!readWhole) request.destroy()
      resolve(result)
    }
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent,
    })
    const timer = setTimeout(
      () => finish({ statusCode: null, response: null, error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    )
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ statusCode: null, response: null, error: error.code ?? error.message }),
    )
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      const end = (readWhole: boolean) => {
        const statusCode = response.statusCode ?? null
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT).toString('utf8')
        finish(
          {
            statusCode,
            response: text,
            error: statusCode !== null && statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
          },
          readWhole,
        )
      }
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.length
        // Enough for the log: the rest is never read.
        if (size >= RESPONSE_LIMIT) end(false)
      })
      response.on('end', () => end(true))
      response.on('error', () => end(false))
    })
    request.end(body)
  })
}
